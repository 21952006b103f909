/**
 * A request made by the verified subject (self-service). Identity was proven by the one-time
 * code, so it starts as identity_verified. Access and portability are served by the export at
 * once; objection and restriction take effect at once (they are reversible by the privacy
 * officer); erasure runs at once unless a running licence needs a privacy officer's decision;
 * rectification of what the subject cannot edit themselves goes to the privacy officer.
 */
import type { Tx } from '../../audit/audit-trail';
import type { PrivacyRequest } from '../../generated/prisma/client';
import type { Services } from '../../services';
import { emitWebhookEvent } from '../../webhooks/emit-event';
import { initialDueAt } from '../deadlines';
import { choiceInForce, type ObjectionScope } from '../processing-permissions';
import type { SubjectRequestBody } from '../privacy.schemas';
import { executeErasureRequest } from './execute-erasure-request';
import { sealText } from '../../crypto/sealed-text';

export const SELF_SERVICE_IDENTITY = 'one-time code sent to the e-mail address on record';

export async function submitSubjectRequest(services: Services, contactId: string, body: SubjectRequestBody): Promise<PrivacyRequest> {
  const now = services.now();
  const scope = [...new Set(body.scope ?? [])];
  const reason = await sealText(services, contactId, 'privacy_request.reason', body.reason);
  const created = await services.prisma.$transaction(async (tx) => {
    const request = await tx.privacyRequest.create({
      data: {
        contactId, subjectRef: contactId, type: body.type, scope, reason, channel: 'self_service',
        status: 'identity_verified', receivedAt: now, dueAt: initialDueAt(now, services.config.privacy.timeZone), identityVerifiedAt: now, identityMethod: SELF_SERVICE_IDENTITY,
      },
    });
    await emitWebhookEvent(tx, 'privacy.request.received', {
      requestId: request.id, type: request.type, channel: request.channel, status: request.status, receivedAt: now.toISOString(), dueAt: request.dueAt.toISOString(),
    }, now);
    await services.audit.record({ actor: { type: 'subject', id: contactId }, action: `privacy_request.${body.type}`, subjectId: contactId, resource: { type: 'privacy_request', id: request.id } }, tx);
    const closed = await applyAtOnce(tx, request, scope as ObjectionScope[], now);
    return closed ?? request;
  });
  if (created.type === 'erasure') return executeErasureRequest(services, created, { type: 'subject', id: contactId }, false);
  return created;
}

async function applyAtOnce(tx: Tx, request: PrivacyRequest, scope: ObjectionScope[], now: Date): Promise<PrivacyRequest | null> {
  const complete = (outcome: string) => tx.privacyRequest.update({ where: { id: request.id }, data: { status: 'completed', closedAt: now, outcome } });
  switch (request.type) {
    case 'access':
    case 'portability':
      return complete('self-served: the full export (JSON, format nomina.subject-export v1) is available from GET /v1/privacy/me/export');
    case 'objection':
      await tx.contact.update({ where: { id: request.contactId! }, data: choiceInForce('objection', scope, now) });
      return complete(`objection in force: ${scope.join(', ')}`);
    case 'restriction':
      await tx.contact.update({ where: { id: request.contactId! }, data: choiceInForce('restriction', scope, now) });
      return complete('restriction in force: data is only stored; no telemetry, no fraud profiling; licence validation continues');
    default:
      return null;
  }
}
