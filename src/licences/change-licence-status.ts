import type { Actor } from '../audit/audit-trail';
import type { LicenceStatus } from '../generated/prisma/enums';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { LICENCE_INCLUDE } from './present-licence';

export type StatusAction = 'suspend' | 'reinstate' | 'revoke';

/** Repeating an action is harmless; revocation is final. */
const TRANSITIONS: Record<StatusAction, { from: LicenceStatus[]; to: LicenceStatus }> = {
  suspend: { from: ['active', 'suspended'], to: 'suspended' },
  reinstate: { from: ['suspended', 'active'], to: 'active' },
  revoke: { from: ['active', 'suspended', 'revoked'], to: 'revoked' },
};

export async function changeLicenceStatus(services: Services, licenceId: string, action: StatusAction, reason: string | null, actor: Actor, requestId?: string) {
  const transition = TRANSITIONS[action];
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM licences WHERE id = ${licenceId}::uuid FOR UPDATE`;
    const licence = await tx.licence.findUnique({ where: { id: licenceId }, select: { id: true, status: true, holderId: true } });
    if (!licence) throw notFound('licence');
    if (!transition.from.includes(licence.status)) throw new AppError('CONFLICT', `a ${licence.status} licence cannot be ${action === 'reinstate' ? 'reinstated' : `${action}ed`}`);
    // A repeated action without a reason keeps the reason given the first time.
    const keepReason = licence.status === transition.to && reason === null;
    const updated = await tx.licence.update({
      where: { id: licenceId },
      data: { status: transition.to, statusReason: transition.to === 'active' ? null : keepReason ? undefined : reason },
      include: LICENCE_INCLUDE,
    });
    await services.audit.record({ actor, action: `licence.${action}`, subjectId: licence.holderId, resource: { type: 'licence', id: licenceId }, requestId, details: { from: licence.status, to: transition.to, reason } }, tx);
    return updated;
  });
}
