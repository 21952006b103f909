import type { PrivacyRequest } from '../generated/prisma/client';
import { notFound } from '../http/problem';
import { initialDueAt } from '../privacy/deadlines';
import { OPEN_STATUSES } from '../privacy/requests/request-status';
import type { Services } from '../services';
import { sealText } from '../crypto/sealed-text';

/**
 * The holder contests an alert (GDPR Art. 22(3): the right to contest and to be heard by a
 * person): an `objection` privacy request linked to the alert, with the legal one-month
 * deadline, lands in the privacy officer's queue. Contesting the same alert again while that
 * request is open returns it instead of opening another. Another holder's alert is a 404.
 */
export async function contestFraudAlert(services: Services, contactId: string, alertId: string, reason: string): Promise<{ request: PrivacyRequest; created: boolean }> {
  const now = services.now();
  const sealedReason = await sealText(services, contactId, 'privacy_request.reason', reason);
  return services.prisma.$transaction(async (tx) => {
    const alert = await tx.fraudAlert.findFirst({ where: { id: alertId, licence: { holderId: contactId } }, select: { id: true } });
    if (!alert) throw notFound('fraud alert');
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `fraud-contest:${alertId}`);
    const existing = await tx.privacyRequest.findFirst({ where: { contactId, fraudAlertId: alertId, type: 'objection', status: { in: [...OPEN_STATUSES] } } });
    if (existing) return { request: existing, created: false };
    const request = await tx.privacyRequest.create({
      data: {
        contactId, subjectRef: contactId, type: 'objection', scope: ['fraud_profiling'], reason: sealedReason, channel: 'self_service',
        status: 'identity_verified', receivedAt: now, dueAt: initialDueAt(now, services.config.privacy.timeZone), identityVerifiedAt: now,
        identityMethod: 'one-time code sent to the e-mail address on record', fraudAlertId: alertId,
      },
    });
    await services.audit.record({
      actor: { type: 'subject', id: contactId }, action: 'fraud_alert.contest', subjectId: contactId,
      resource: { type: 'fraud_alert', id: alertId }, details: { privacyRequestId: request.id },
    }, tx);
    return { request, created: true };
  });
}
