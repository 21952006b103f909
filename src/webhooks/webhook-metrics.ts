/**
 * Webhook metrics: attempts by outcome, endpoints disabled, and — computed when Prometheus
 * scrapes — the pending deliveries and the age of the oldest undelivered event.
 */
import type { Services } from '../services';

const registered = new WeakSet<Services>();

export function webhookMetrics(services: Services) {
  const metrics = {
    deliveries: services.metrics.counter('nomina_webhook_deliveries_total', 'Webhook delivery attempts by outcome (delivered, retrying, failed = retries exhausted)', ['outcome']),
    disabled: services.metrics.counter('nomina_webhook_endpoints_disabled_total', 'Webhook endpoints disabled after failing for a day'),
  };
  if (!registered.has(services)) {
    registered.add(services);
    services.metrics.gauge('nomina_webhook_queue_pending', 'Webhook deliveries waiting (enabled endpoints), plus events not yet fanned out', [], async function () {
      const [row] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT (SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d."endpointId" WHERE d.status = 'pending' AND e."disabledAt" IS NULL)
              + (SELECT count(*) FROM webhook_events WHERE "fannedOutAt" IS NULL) AS n`);
      this.set(Number(row.n));
    });
    services.metrics.gauge('nomina_webhook_queue_age_seconds', 'Age of the oldest event still waiting for delivery to an enabled endpoint (0 when none)', [], async function () {
      const [row] = await services.prisma.$queryRawUnsafe<{ oldest: Date | null }[]>(
        `SELECT LEAST(
           (SELECT min(ev."occurredAt") FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d."endpointId" JOIN webhook_events ev ON ev.id = d."eventId"
             WHERE d.status = 'pending' AND e."disabledAt" IS NULL),
           (SELECT min("occurredAt") FROM webhook_events WHERE "fannedOutAt" IS NULL)) AS oldest`);
      this.set(row.oldest ? Math.max(0, (services.now().getTime() - new Date(row.oldest).getTime()) / 1000) : 0);
    });
  }
  return metrics;
}
