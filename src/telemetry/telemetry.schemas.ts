import { z } from 'zod';
import { isoDate } from '../http/common-schemas';

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = '256kb';

const noControl = (v: string) => !/[\u0000-\u001F\u007F]/.test(v);

/** Event names are short labels chosen by the app ("session", "Export PDF", "TypeError"). */
const eventName = z.string().min(1).max(100).refine(noControl, 'control characters are not allowed');
const version = z.string().trim().min(1).max(64).refine(noControl, 'control characters are not allowed');

/**
 * A flat object of at most 20 scalar values and 4 kB: counts, switches and short texts (the SDK
 * sends a scrubbed error message and stack), never nested documents.
 */
const props = z
  .record(z.string().min(1).max(64).refine(noControl, 'control characters are not allowed'),
    z.union([z.string().max(2000), z.number().finite(), z.boolean()]))
  .refine((p) => Object.keys(p).length <= 20, 'at most 20 properties')
  .refine((p) => Buffer.byteLength(JSON.stringify(p)) <= 4096, 'at most 4 kB of properties');

/** 2^31-1 ms (24.8 days): what the integer column holds, longer than any session. */
const durationMs = z.number().int().min(0).max(2_147_483_647);

const common = {
  name: eventName,
  at: isoDate,
  props: props.optional(),
  appVersion: version.optional(),
  osVersion: version.optional(),
};

export const TelemetryEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('session_start'), ...common, durationMs: durationMs.optional() }),
  // The session length is what a session_end reports: required.
  z.strictObject({ type: z.literal('session_end'), ...common, durationMs }),
  z.strictObject({ type: z.literal('feature'), ...common, durationMs: durationMs.optional() }),
  z.strictObject({ type: z.literal('error'), ...common, durationMs: durationMs.optional() }),
]);
export type TelemetryEvent = z.infer<typeof TelemetryEvent>;

export const TelemetryBatchBody = z.strictObject({
  batchId: z.uuid(),
  /** optional: the product code the app believes it is; must be the token's */
  product: z.string().trim().min(1).max(32).optional(),
  /** defaults for events that do not carry their own versions */
  app: z.strictObject({ version: version.optional(), os: version.optional() }).optional(),
  // The count limit (500) is checked by the route and answered with 413, like the size limit.
  events: z.array(TelemetryEvent).min(1),
});
export type TelemetryBatchBody = z.infer<typeof TelemetryBatchBody>;

export const TelemetryAccepted = z.object({ accepted: z.number().int(), rejected: z.number().int(), duplicate: z.boolean() });

export const GROUP_BY = ['feature', 'version', 'os', 'day'] as const;
export type StatsGroupBy = (typeof GROUP_BY)[number];

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));

export const TelemetryStatsQuery = z.strictObject({
  product: z.string().trim().min(1).max(64),
  from: dayOrInstant,
  to: dayOrInstant,
  groupBy: z.enum(GROUP_BY).default('day'),
  customerId: z.uuid().optional(),
}).refine((q) => q.from.getTime() < q.to.getTime(), { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 800 * 86_400_000, { message: 'at most 800 days', path: ['to'] });
export type TelemetryStatsQuery = z.infer<typeof TelemetryStatsQuery>;
