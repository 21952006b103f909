import { z } from 'zod';
import { text } from '../http/common-schemas';
import { WEBHOOK_EVENT_TYPES } from './event-types';

const EventTypes = z.array(z.enum(['*', ...WEBHOOK_EVENT_TYPES])).min(1).max(WEBHOOK_EVENT_TYPES.length + 1)
  .describe('event types to receive; ["*"] for all');

const Url = z.string().trim().max(2000).pipe(z.url({ protocol: /^https?$/, normalize: true }));

export const CreateEndpointBody = z.strictObject({
  url: Url.describe('where events are POSTed; https outside development and tests'),
  eventTypes: EventTypes,
  description: text(200).optional(),
});
export type CreateEndpointBody = z.infer<typeof CreateEndpointBody>;

export const UpdateEndpointBody = z.strictObject({
  url: Url.optional(),
  eventTypes: EventTypes.optional(),
  description: text(200).nullable().optional(),
  /** true re-enables a disabled endpoint (its pending deliveries resume); false disables it */
  enabled: z.boolean().optional(),
}).refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type UpdateEndpointBody = z.infer<typeof UpdateEndpointBody>;

export const DeliveryParams = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

export const DeliveryListQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional().describe('page: deliveries created before this instant'),
});

export const EndpointView = z.object({
  id: z.uuid(), url: z.string(), description: z.string().nullable(), eventTypes: z.array(z.string()),
  enabled: z.boolean(), disabledAt: z.string().nullable(), disabledReason: z.string().nullable(), failingSince: z.string().nullable(),
  createdAt: z.string(), secret: z.string().optional().describe('whsec_…, only in the creation answer'),
});

export const DeliveryView = z.object({
  id: z.uuid(), eventId: z.uuid().describe('the webhook-id header: stable across attempts and replays'), eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number().int(), lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(), lastAttemptAt: z.string().nullable(), nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(), createdAt: z.string(),
});
