import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/audit-trail';
import type { Services } from '../services';
import { checkEndpointUrl } from './endpoint-url';
import { generateWebhookSecret, wrapWebhookSecret } from './webhook-secret';
import type { CreateEndpointBody } from './webhooks.schemas';

/** Registers a receiver; its signing secret is returned here and nowhere else. */
export async function createWebhookEndpoint(services: Services, input: CreateEndpointBody, createdById: string, actor: Actor, requestId: string) {
  checkEndpointUrl(services.config, input.url);
  const id = randomUUID();
  const { secret, material } = generateWebhookSecret();
  const eventTypes = input.eventTypes.includes('*') ? ['*'] : [...new Set(input.eventTypes)];
  return services.prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: { id, url: input.url, description: input.description ?? null, eventTypes, createdById, ...wrapWebhookSecret(services.keyring, id, material) },
    });
    await services.audit.record({ actor, action: 'webhook_endpoint.create', resource: { type: 'webhook_endpoint', id }, requestId, details: { eventTypes } }, tx);
    return { endpoint, secret };
  });
}
