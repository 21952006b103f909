/**
 * Delivers what is due. A delivery is claimed by pushing its next attempt a lease ahead (twice
 * the request timeout) and counting the attempt, in one statement with FOR UPDATE SKIP LOCKED:
 * instances never take the same delivery, no transaction stays open during the HTTP call (the
 * embedded database has one session), and a delivery in flight on an instance that dies is
 * taken again when its lease runs out. Outcomes are recorded only by the claim's owner.
 */
import type { Services } from '../services';
import { endpointFailed, endpointSucceeded } from './endpoint-health';
import { sendWebhook, type Attempt } from './send-webhook';
import { unwrapWebhookSecret } from './webhook-secret';
import { webhookMetrics } from './webhook-metrics';
import { nextAttemptDelay, type WebhookSettings } from './webhook-settings';

const BATCH = 20;

interface Claimed { id: string; eventId: string; endpointId: string; attempts: number }

export async function deliverDueWebhooks(services: Services, settings: WebhookSettings): Promise<number> {
  const now = services.now();
  const claimed = await services.prisma.$queryRawUnsafe<Claimed[]>(`
    UPDATE webhook_deliveries SET "nextAttemptAt" = $2, attempts = attempts + 1, "lastAttemptAt" = $1
     WHERE id IN (
       SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d."endpointId"
        WHERE d.status = 'pending' AND d."nextAttemptAt" <= $1 AND e."disabledAt" IS NULL
        ORDER BY d."nextAttemptAt" LIMIT ${BATCH}
        FOR UPDATE OF d SKIP LOCKED)
    RETURNING id, "eventId", "endpointId", attempts`, now, new Date(now.getTime() + 2 * settings.timeoutMs));
  if (claimed.length === 0) return 0;
  const [events, endpoints] = await Promise.all([
    services.prisma.webhookEvent.findMany({ where: { id: { in: [...new Set(claimed.map((c) => c.eventId))] } } }),
    services.prisma.webhookEndpoint.findMany({ where: { id: { in: [...new Set(claimed.map((c) => c.endpointId))] } } }),
  ]);
  await Promise.all(claimed.map(async (delivery) => {
    const event = events.find((e) => e.id === delivery.eventId);
    const endpoint = endpoints.find((e) => e.id === delivery.endpointId);
    if (!event || !endpoint) return; // deleted since the claim (the delivery went with it)
    const secret = unwrapWebhookSecret(services.keyring, endpoint);
    const attempt = await sendWebhook(endpoint.url, secret, event, services.now(), settings.timeoutMs);
    await recordAttempt(services, settings, delivery, attempt);
  }));
  return claimed.length;
}

async function recordAttempt(services: Services, settings: WebhookSettings, delivery: Claimed, attempt: Attempt): Promise<void> {
  const now = services.now();
  const metrics = webhookMetrics(services);
  // `attempts` pins the claim: if our lease ran out and another instance took it, its outcome counts, not ours.
  const mine = { id: delivery.id, status: 'pending' as const, attempts: delivery.attempts };
  if (attempt.ok) {
    const { count } = await services.prisma.webhookDelivery.updateMany({
      where: mine, data: { status: 'delivered', deliveredAt: now, nextAttemptAt: null, lastStatusCode: attempt.statusCode, lastError: null },
    });
    if (count) metrics.deliveries.inc({ outcome: 'delivered' });
    await endpointSucceeded(services, delivery.endpointId);
    return;
  }
  const delay = nextAttemptDelay(settings, delivery.attempts);
  const { count } = await services.prisma.webhookDelivery.updateMany({
    where: mine,
    data: delay === null
      ? { status: 'failed', nextAttemptAt: null, lastStatusCode: attempt.statusCode, lastError: attempt.error }
      : { nextAttemptAt: new Date(now.getTime() + delay), lastStatusCode: attempt.statusCode, lastError: attempt.error },
  });
  if (count) metrics.deliveries.inc({ outcome: delay === null ? 'failed' : 'retrying' });
  await endpointFailed(services, settings, delivery.endpointId, now);
}
