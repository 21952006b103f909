/**
 * A request received by phone, letter or e-mail, logged by the privacy officer with how the
 * person's identity was checked (or not yet: it then waits in `received`).
 */
import type { StaffPrincipal } from '../../http/route';
import { notFound } from '../../http/problem';
import type { Services } from '../../services';
import { emitWebhookEvent } from '../../webhooks/emit-event';
import { initialDueAt } from '../deadlines';
import type { LogRequestBody } from '../privacy.schemas';
import { sealText } from '../../crypto/sealed-text';

export async function logRequest(services: Services, body: LogRequestBody, staff: StaffPrincipal, purpose: string | null, requestId: string) {
  const now = services.now();
  const receivedAt = body.receivedAt && body.receivedAt < now ? body.receivedAt : now;
  return services.prisma.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id: body.contactId }, select: { id: true } });
    if (!contact) throw notFound('contact');
    const reason = await sealText(services, contact.id, 'privacy_request.reason', body.reason);
    const identityMethod = await sealText(services, contact.id, 'privacy_request.identity_method', body.identityMethod);
    const request = await tx.privacyRequest.create({
      data: {
        contactId: contact.id, subjectRef: contact.id, type: body.type, scope: [...new Set(body.scope ?? [])], reason,
        channel: body.channel, receivedAt, dueAt: initialDueAt(receivedAt, services.config.privacy.timeZone), handledById: staff.id,
        ...(identityMethod ? { status: 'identity_verified' as const, identityVerifiedAt: now, identityMethod } : {}),
      },
    });
    await emitWebhookEvent(tx, 'privacy.request.received', {
      requestId: request.id, type: request.type, channel: request.channel, status: request.status, receivedAt: request.receivedAt.toISOString(), dueAt: request.dueAt.toISOString(),
    }, now);
    await services.audit.record({ actor: staff.actor, action: 'privacy_request.log', subjectId: contact.id, resource: { type: 'privacy_request', id: request.id }, purpose, requestId, details: { channel: body.channel, type: body.type } }, tx);
    return request;
  });
}
