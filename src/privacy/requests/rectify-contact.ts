/**
 * Self-service rectification (Art. 16): the subject corrects their own contact fields. Recorded
 * as a completed rectification request and audited with the names of the fields, never values.
 */
import { encryptContactFields } from '../../contacts/contact-crypto';
import { notFound } from '../../http/problem';
import type { Services } from '../../services';
import { initialDueAt } from '../deadlines';
import type { RectifyBody } from '../privacy.schemas';
import { SELF_SERVICE_IDENTITY } from './submit-subject-request';

export async function rectifyContact(services: Services, contactId: string, body: RectifyBody) {
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { id: true, firstNameEnc: true, lastNameEnc: true } });
    if (!contact) throw notFound('contact');
    const columns = await encryptContactFields(services, contactId, body, contact);
    const updated = await tx.contact.update({ where: { id: contactId }, data: columns as Record<string, string> });
    const fields = Object.keys(body);
    const request = await tx.privacyRequest.create({
      data: {
        contactId, subjectRef: contactId, type: 'rectification', scope: [], channel: 'self_service', status: 'completed', receivedAt: now,
        dueAt: initialDueAt(now, services.config.privacy.timeZone), identityVerifiedAt: now, identityMethod: SELF_SERVICE_IDENTITY, closedAt: now, outcome: `self-served: corrected ${fields.join(', ')}`,
      },
    });
    await services.audit.record({ actor: { type: 'subject', id: contactId }, action: 'contact.rectify', subjectId: contactId, resource: { type: 'privacy_request', id: request.id }, details: { fields } }, tx);
    return updated;
  });
}
