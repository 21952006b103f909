import type { WebhookDelivery, WebhookEndpoint } from '../generated/prisma/client';

/** Never the wrapped secret. */
export function presentEndpoint(e: WebhookEndpoint) {
  return {
    id: e.id, url: e.url, description: e.description, eventTypes: e.eventTypes, enabled: e.disabledAt === null,
    disabledAt: e.disabledAt?.toISOString() ?? null, disabledReason: e.disabledReason, failingSince: e.failingSince?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

export function presentDelivery(d: WebhookDelivery & { event: { type: string } }) {
  return {
    id: d.id, eventId: d.eventId, eventType: d.event.type, status: d.status, attempts: d.attempts,
    lastStatusCode: d.lastStatusCode, lastError: d.lastError, lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt?.toISOString() ?? null : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null, createdAt: d.createdAt.toISOString(),
  };
}
