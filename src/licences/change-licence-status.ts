import type { Actor, Tx } from '../audit/audit-trail';
import type { LicenceStatus } from '../generated/prisma/enums';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { LICENCE_INCLUDE } from './present-licence';
import { sealText } from '../crypto/sealed-text';

export type StatusAction = 'suspend' | 'reinstate' | 'revoke';

/** Repeating an action is harmless; revocation is final. */
const EVENTS = { suspended: 'licence.suspended', active: 'licence.reinstated', revoked: 'licence.revoked' } as const;

const TRANSITIONS: Record<StatusAction, { from: LicenceStatus[]; to: LicenceStatus }> = {
  suspend: { from: ['active', 'suspended'], to: 'suspended' },
  reinstate: { from: ['suspended', 'active'], to: 'active' },
  revoke: { from: ['active', 'suspended', 'revoked'], to: 'revoked' },
};

/**
 * Locks the licence and applies `action` inside the caller's transaction, without an audit entry:
 * for a use case whose own entry records the change with its cause (a fraud decision that
 * suspends, src/fraud/decide-fraud-alert.ts). The status is read under the lock, so two
 * concurrent changes cannot both start from the same status.
 */
export async function changeLicenceStatusIn(services: Services, tx: Tx, licenceId: string, action: StatusAction, reason: string | null) {
  const transition = TRANSITIONS[action];
  const [licence] = await tx.$queryRaw<{ status: LicenceStatus; holderId: string }[]>`
    SELECT status::text AS status, "holderId" FROM licences WHERE id = ${licenceId}::uuid FOR UPDATE`;
  if (!licence) throw notFound('licence');
  if (!transition.from.includes(licence.status)) throw new AppError('CONFLICT', `a ${licence.status} licence cannot be ${action === 'reinstate' ? 'reinstated' : `${action}ed`}`);
  // A repeated action without a reason keeps the reason given the first time.
  const keepReason = licence.status === transition.to && reason === null;
  const updated = await tx.licence.update({
    where: { id: licenceId },
    data: { status: transition.to, statusReason: transition.to === 'active' ? null : keepReason ? undefined : await sealText(services, licence.holderId, 'licence.status_reason', reason) },
    include: LICENCE_INCLUDE,
  });
  // A repeated action changes nothing and tells nobody.
  if (licence.status !== transition.to) {
    await emitWebhookEvent(tx, EVENTS[transition.to], { licenceId, customerId: updated.customerId, status: transition.to, previousStatus: licence.status }, updated.updatedAt);
  }
  return { licence: updated, holderId: licence.holderId, from: licence.status, to: transition.to };
}

/** A staff action on a licence: its own transaction and audit entry. */
export async function changeLicenceStatus(services: Services, licenceId: string, action: StatusAction, reason: string | null, actor: Actor, requestId?: string, purpose?: string | null) {
  return services.prisma.$transaction(async (tx) => {
    const change = await changeLicenceStatusIn(services, tx, licenceId, action, reason);
    await services.audit.record({ actor, action: `licence.${action}`, subjectId: change.holderId, resource: { type: 'licence', id: licenceId }, purpose, requestId, details: { from: change.from, to: change.to, reason } }, tx);
    return change.licence;
  });
}
