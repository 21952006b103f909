import type { Actor } from '../audit/audit-trail';
import { notFound } from '../http/problem';
import type { Services } from '../services';
import { checkEndpointUrl } from './endpoint-url';
import type { UpdateEndpointBody } from './webhooks.schemas';

/**
 * Changes an endpoint. Re-enabling clears the failure run, so its pending deliveries are tried
 * again at once and it gets a fresh day before it can be disabled again.
 */
export async function updateWebhookEndpoint(services: Services, id: string, input: UpdateEndpointBody, actor: Actor, requestId: string) {
  if (input.url) checkEndpointUrl(services.config, input.url);
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ disabledAt: Date | null }[]>`SELECT "disabledAt" FROM webhook_endpoints WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw notFound('webhook endpoint');
    const enabling = input.enabled === true && row.disabledAt !== null;
    const disabling = input.enabled === false && row.disabledAt === null;
    const endpoint = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(input.url ? { url: input.url } : {}),
        ...(input.eventTypes ? { eventTypes: input.eventTypes.includes('*') ? ['*'] : [...new Set(input.eventTypes)] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(enabling ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(disabling ? { disabledAt: now, disabledReason: 'disabled by an admin' } : {}),
      },
    });
    if (enabling) await tx.webhookDelivery.updateMany({ where: { endpointId: id, status: 'pending' }, data: { nextAttemptAt: now } });
    await services.audit.record({ actor, action: 'webhook_endpoint.update', resource: { type: 'webhook_endpoint', id }, requestId, details: { fields: Object.keys(input) } }, tx);
    return endpoint;
  });
}
