/**
 * Webhook endpoints and their delivery log, managed by admins. No API-key scope opens them:
 * a system cannot redirect the events it is told about.
 */
import { z } from 'zod';
import { IdParams, listOf } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { defineRoute, staffOnly } from '../http/route';
import { createWebhookEndpoint } from './create-webhook-endpoint';
import { WEBHOOK_EVENT_TYPES } from './event-types';
import { presentDelivery, presentEndpoint } from './present-webhooks';
import { replayWebhookDelivery } from './replay-webhook-delivery';
import { updateWebhookEndpoint } from './update-webhook-endpoint';
import { CreateEndpointBody, DeliveryListQuery, DeliveryParams, DeliveryView, EndpointView, UpdateEndpointBody } from './webhooks.schemas';

const ADMIN = staffOnly('admin');
// The signing secret is shown once: never let a cache keep it.
const NO_STORE = { 'Cache-Control': 'no-store' };

async function endpointOr404(services: Parameters<typeof createWebhookEndpoint>[0], id: string) {
  const endpoint = await services.prisma.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

export const webhookRoutes = [
  defineRoute({
    method: 'get', path: '/v1/webhooks/event-types', tag: 'integrations', access: ADMIN,
    summary: 'The event types an endpoint can subscribe to', response: { status: 200, description: 'the list', schema: listOf(z.enum(WEBHOOK_EVENT_TYPES)) },
    async handler() {
      return { body: { items: WEBHOOK_EVENT_TYPES } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/endpoints', tag: 'integrations', access: ADMIN, body: CreateEndpointBody,
    summary: 'Register a webhook endpoint; the answer carries its signing secret (whsec_…), shown this once',
    response: {
      status: 201, description: 'registered', schema: EndpointView,
      example: { id: '2c9d8e7f-6a5b-4c3d-9e8f-7a6b5c4d3e2f', url: 'https://shop.example/nomina-hooks', description: 'web shop', eventTypes: ['licence.issued', 'licence.revoked'], enabled: true, disabledAt: null, disabledReason: null, failingSince: null, createdAt: '2026-12-01T09:00:00.000Z', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    },
    example: { url: 'https://shop.example/nomina-hooks', eventTypes: ['licence.issued', 'licence.revoked'], description: 'web shop' },
    async handler({ services, body, staff, requestId }) {
      const { endpoint, secret } = await createWebhookEndpoint(services, body, staff.id, staff.actor, requestId);
      return { status: 201, headers: NO_STORE, body: { ...presentEndpoint(endpoint), secret } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/endpoints', tag: 'integrations', access: ADMIN, summary: 'List webhook endpoints with their health',
    response: { status: 200, description: 'the endpoints', schema: listOf(EndpointView) },
    async handler({ services }) {
      const rows = await services.prisma.webhookEndpoint.findMany({ orderBy: { createdAt: 'asc' }, take: 500 });
      return { body: { items: rows.map(presentEndpoint) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/endpoints/:id', tag: 'integrations', access: ADMIN, params: IdParams, summary: 'One webhook endpoint',
    response: { status: 200, description: 'the endpoint', schema: EndpointView },
    async handler({ services, params }) {
      return { body: presentEndpoint(await endpointOr404(services, params.id)) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/webhooks/endpoints/:id', tag: 'integrations', access: ADMIN, params: IdParams, body: UpdateEndpointBody,
    summary: 'Change the URL, event types or description; `enabled: true` re-enables a disabled endpoint and resumes its pending deliveries',
    response: { status: 200, description: 'the endpoint', schema: EndpointView },
    async handler({ services, params, body, staff, requestId }) {
      return { body: presentEndpoint(await updateWebhookEndpoint(services, params.id, body, staff.actor, requestId)) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/webhooks/endpoints/:id', tag: 'integrations', access: ADMIN, params: IdParams,
    summary: 'Remove an endpoint and its delivery log', response: { status: 204, description: 'removed' },
    async handler({ services, params, staff, requestId }) {
      await services.prisma.$transaction(async (tx) => {
        const { count } = await tx.webhookEndpoint.deleteMany({ where: { id: params.id } });
        if (count === 0) throw notFound('webhook endpoint');
        await services.audit.record({ actor: staff.actor, action: 'webhook_endpoint.delete', resource: { type: 'webhook_endpoint', id: params.id }, requestId }, tx);
      });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/endpoints/:id/deliveries', tag: 'integrations', access: ADMIN, params: IdParams, query: DeliveryListQuery,
    summary: "An endpoint's delivery log, newest first: status, last response code, attempts, next attempt",
    response: { status: 200, description: 'the log', schema: listOf(DeliveryView) },
    async handler({ services, params, query }) {
      await endpointOr404(services, params.id);
      const rows = await services.prisma.webhookDelivery.findMany({
        where: { endpointId: params.id, ...(query.status ? { status: query.status } : {}), ...(query.before ? { createdAt: { lt: new Date(query.before) } } : {}) },
        include: { event: { select: { type: true } } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit,
      });
      return { body: { items: rows.map(presentDelivery) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/endpoints/:id/deliveries/:deliveryId/actions/replay', tag: 'integrations', access: ADMIN, params: DeliveryParams,
    summary: 'Send a delivered or failed delivery again, with the same event id and a fresh retry schedule',
    response: { status: 200, description: 'queued', schema: DeliveryView },
    problems: ['CONFLICT'],
    async handler({ services, params, staff, requestId }) {
      return { body: presentDelivery(await replayWebhookDelivery(services, params.id, params.deliveryId, staff.actor, requestId)) };
    },
  }),
];
