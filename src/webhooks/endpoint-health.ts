/**
 * Endpoint health: a success ends a run of failures; an endpoint that has failed without a single
 * success for `disableAfterMs` (a day) is disabled and every admin is told by e-mail. Its pending
 * deliveries wait; re-enabling it (PATCH enabled: true) sends them.
 */
import { sendInBackground } from '../mail/mailer';
import type { Services } from '../services';
import { webhookMetrics } from './webhook-metrics';
import type { WebhookSettings } from './webhook-settings';

export async function endpointSucceeded(services: Services, endpointId: string): Promise<void> {
  await services.prisma.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null } });
}

export async function endpointFailed(services: Services, settings: WebhookSettings, endpointId: string, now: Date): Promise<void> {
  const [row] = await services.prisma.$queryRaw<{ failingSince: Date }[]>`
    UPDATE webhook_endpoints SET "failingSince" = COALESCE("failingSince", ${now}) WHERE id = ${endpointId}::uuid RETURNING "failingSince"`;
  if (!row || now.getTime() - new Date(row.failingSince).getTime() < settings.disableAfterMs) return;
  const hours = Math.round(settings.disableAfterMs / 3_600_000 * 10) / 10;
  // One instance wins the update, so the admins get one message.
  const disabled = await services.prisma.webhookEndpoint.updateMany({
    where: { id: endpointId, disabledAt: null }, data: { disabledAt: now, disabledReason: `every delivery failed for ${hours} hours` },
  });
  if (disabled.count === 0) return;
  webhookMetrics(services).disabled.inc();
  services.logger.warn({ endpointId }, 'webhook endpoint disabled after failing for a day');
  await notifyAdmins(services, endpointId, hours);
}

async function notifyAdmins(services: Services, endpointId: string, hours: number): Promise<void> {
  const endpoint = await services.prisma.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { url: true } });
  const admins = await services.prisma.staffUser.findMany({ where: { roles: { has: 'admin' }, disabledAt: null }, select: { email: true } });
  // The host only: a URL's path or query may hold a receiver's token.
  const host = endpoint ? new URL(endpoint.url).host : 'unknown';
  for (const admin of admins) {
    sendInBackground(services, {
      to: admin.email, kind: 'webhook_endpoint_disabled',
      subject: 'Nomina: a webhook endpoint was disabled',
      text: [
        `The webhook endpoint ${endpointId} (${host}) failed every delivery for ${hours} hours and has been disabled.`,
        'Its pending events are kept. Fix the receiver, then re-enable it with',
        `PATCH /v1/webhooks/endpoints/${endpointId} {"enabled": true}; the delivery log is at GET /v1/webhooks/endpoints/${endpointId}/deliveries.`,
      ].join('\n'),
    });
  }
}
