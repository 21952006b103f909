import { AppError, notFound } from '../../http/problem';
import type { Services } from '../../services';
import type { z } from 'zod';
import { notifySubject, subjectEmail } from '../notify-subject';
import type { ProcessingChoicesBody } from '../privacy.schemas';

/** The privacy officer applies or lifts restriction and objections (true = in force from now, false = lifted). */
export async function setProcessingChoices(
  services: Services, contactId: string, body: z.infer<typeof ProcessingChoicesBody>, by: { staffId: string; purpose: string | null; requestId: string },
) {
  const now = services.now();
  const at = (on: boolean | undefined) => (on === undefined ? undefined : on ? now : null);
  if (body.restricted === false) await tellBeforeLifting(services, contactId);
  return services.prisma.$transaction(async (tx) => {
    const exists = await tx.contact.findUnique({ where: { id: contactId }, select: { id: true } });
    if (!exists) throw notFound('contact');
    const contact = await tx.contact.update({
      where: { id: contactId },
      data: {
        restrictedAt: at(body.restricted),
        telemetryObjectedAt: at(body.objections?.telemetry),
        marketingObjectedAt: at(body.objections?.directMarketing),
        profilingObjectedAt: at(body.objections?.fraudProfiling),
      },
    });
    await services.audit.record({ actor: { type: 'staff', id: by.staffId }, action: 'contact.processing_choices', subjectId: contactId, resource: { type: 'contact', id: contactId }, purpose: by.purpose, requestId: by.requestId, details: { ...body } }, tx);
    return contact;
  });
}

/**
 * Art. 18(3): a person who obtained a restriction is told before it is lifted. The notice goes
 * out first; if it cannot be sent, the restriction stays and the privacy officer retries.
 */
async function tellBeforeLifting(services: Services, contactId: string): Promise<void> {
  const contact = await services.prisma.contact.findUnique({ where: { id: contactId }, select: { restrictedAt: true } });
  if (!contact) throw notFound('contact');
  if (!contact.restrictedAt) return;
  try {
    await notifySubject(services, await subjectEmail(services, contactId), 'restriction_lifted', 'The restriction of your data is being lifted', [
      `You asked us on ${contact.restrictedAt.toISOString().slice(0, 10)} to restrict the processing of your personal data (GDPR Art. 18).`,
      'Our privacy officer has decided to lift that restriction: from now on we process your data again as described in our register of processing activities.',
      'If you disagree, reply to this e-mail or file a complaint with the Data Protection Authority (Gegevensbeschermingsautoriteit).',
    ]);
  } catch {
    throw new AppError('UNAVAILABLE', 'the person could not be told that the restriction is lifted (e-mail failed); the restriction stays in force — retry later', { headers: { 'Retry-After': '60' } });
  }
}
