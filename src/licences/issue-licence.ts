import type { Actor } from '../audit/audit-trail';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { issueKey } from './licence-keys';
import type { IssueLicenceBody } from './licences.schemas';
import { LICENCE_INCLUDE } from './present-licence';
import { customerClosed } from '../customers/customer-closed';

const DAY_MS = 86_400_000;

/**
 * Issues a nominative licence to a holder: the key is returned here and nowhere else (only its
 * digest is stored). The minimal billing record the law requires is written alongside, apart
 * from personal data (docs/architecture.md §2.10).
 */
export async function issueLicence(services: Services, input: IssueLicenceBody, actor: Actor, requestId?: string, purpose?: string | null) {
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const policy = await tx.policy.findUnique({ where: { id: input.policyId }, select: { id: true, productId: true, durationDays: true, product: { select: { code: true } } } });
    if (!policy) throw notFound('policy');
    const holder = await tx.contact.findUnique({ where: { id: input.holderId }, select: { id: true, customerId: true, roles: true, customer: { select: { closedAt: true } } } });
    // Another customer's contact is as unknown as a missing one.
    if (!holder || (input.customerId && holder.customerId !== input.customerId)) throw notFound('holder');
    if (!holder.roles.includes('licence_holder')) throw new AppError('UNPROCESSABLE', 'the contact does not have the licence_holder role');
    if (holder.customer.closedAt) throw customerClosed();
    const validFrom = input.validFrom ?? now;
    const validUntil = input.validUntil !== undefined ? input.validUntil
      : policy.durationDays ? new Date(validFrom.getTime() + policy.durationDays * DAY_MS) : null;
    if (validUntil && validUntil <= validFrom) {
      throw new AppError('VALIDATION_FAILED', 'validUntil must be after validFrom', { errors: [{ pointer: '/validUntil', detail: 'must be after validFrom' }] });
    }
    const issued = issueKey(services.config.secrets.keyPepper, policy.product.code);
    const licence = await tx.licence.create({
      data: {
        customerId: holder.customerId, holderId: holder.id, policyId: policy.id, productId: policy.productId,
        keyDigest: issued.digest, keyLast4: issued.last4, validFrom, validUntil, entitlements: input.entitlements ?? [],
      },
      include: LICENCE_INCLUDE,
    });
    await tx.billingRecord.create({
      data: { customerId: holder.customerId, licenceId: licence.id, productCode: policy.product.code, issuedAt: now, validFrom, validUntil },
    });
    await emitWebhookEvent(tx, 'licence.issued', {
      licenceId: licence.id, customerId: licence.customerId, productId: licence.productId, policyId: licence.policyId,
      status: licence.status, validFrom: licence.validFrom.toISOString(), validUntil: licence.validUntil?.toISOString() ?? null,
    }, now);
    await services.audit.record({ actor, action: 'licence.issue', subjectId: holder.id, resource: { type: 'licence', id: licence.id }, purpose, requestId }, tx);
    return { licence, key: issued.key };
  });
}
