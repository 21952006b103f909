import { notFound } from '../../http/problem';
import type { Services } from '../../services';
import type { z } from 'zod';
import type { ProcessingChoicesBody } from '../privacy.schemas';

/** The privacy officer applies or lifts restriction and objections (true = in force from now, false = lifted). */
export async function setProcessingChoices(
  services: Services, contactId: string, body: z.infer<typeof ProcessingChoicesBody>, by: { staffId: string; purpose: string | null; requestId: string },
) {
  const now = services.now();
  const at = (on: boolean | undefined) => (on === undefined ? undefined : on ? now : null);
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
