/**
 * A privacy officer records an exception to a person's restriction (Art. 18(2)): the ground,
 * the reason (sealed with the person's key: it is about them, and erasure must shred it) and an
 * end date. Audited; shown to the person in their export.
 */
import { AppError, notFound } from '../../http/problem';
import type { Services } from '../../services';
import type { z } from 'zod';
import type { RestrictionExceptionBody } from '../privacy.schemas';

const MAX_DAYS = 366;

export async function recordRestrictionException(
  services: Services, contactId: string, body: z.infer<typeof RestrictionExceptionBody>, by: { staffId: string; purpose: string | null; requestId: string },
) {
  const now = services.now();
  const expiresAt = body.expiresAt;
  if (expiresAt <= now || expiresAt.getTime() - now.getTime() > MAX_DAYS * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', `expiresAt must be in the future and at most ${MAX_DAYS} days away`, { errors: [{ pointer: '/expiresAt', detail: `in the future, at most ${MAX_DAYS} days away` }] });
  }
  return services.prisma.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { restrictedAt: true } });
    if (!contact) throw notFound('contact');
    if (!contact.restrictedAt) throw new AppError('CONFLICT', 'processing of this person is not restricted: no exception is needed');
    const reasonEnc = await services.subjects.encrypt(contactId, 'restriction_exception.reason', body.reason);
    const exception = await tx.restrictionException.create({ data: { contactId, ground: body.ground, reasonEnc, recordedById: by.staffId, recordedAt: now, expiresAt } });
    await services.audit.record({
      actor: { type: 'staff', id: by.staffId }, action: 'restriction.exception', subjectId: contactId, resource: { type: 'restriction_exception', id: exception.id },
      purpose: by.purpose, requestId: by.requestId, details: { ground: body.ground, expiresAt: expiresAt.toISOString() },
    }, tx);
    return { id: exception.id, ground: exception.ground, recordedAt: exception.recordedAt.toISOString(), expiresAt: exception.expiresAt.toISOString() };
  });
}
