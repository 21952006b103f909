import { z } from 'zod';
import { isoDate, isStorableDate, uuid } from '../http/common-schemas';

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = '256kb';

const noControl = (v: string) => !/[\u0000-\u001F\u007F]/.test(v);

/** Event names are short labels chosen by the app ("session", "Export PDF", "TypeError"). */
const eventName = z.string().min(1).max(100).refine(noControl, 'control characters are not allowed');
const version = z.string().trim().min(1).max(64).refine(noControl, 'control characters are not allowed');

type Props = Record<string, string | number | boolean>;
const CONTROL = /[\u0000-\u001F\u007F]/;

/** Why `value` is not a valid props object, or null. One pass: this runs for every event of every batch. */
export function propsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a flat object of string, number or boolean values';
  const entries = Object.entries(value);
  if (entries.length > 20) return 'at most 20 properties';
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > 64 || CONTROL.test(key)) return 'property names have 1-64 characters and no control characters';
    if (typeof item === 'string') {
      if (item.length > 2000) return 'property values are at most 2000 characters';
    } else if (typeof item !== 'boolean' && (typeof item !== 'number' || !Number.isFinite(item))) {
      return 'property values are strings, numbers or booleans (no nested objects or arrays)';
    }
  }
  if (Buffer.byteLength(JSON.stringify(value)) > 4096) return 'at most 4 kB of properties';
  return null;
}

/**
 * A flat object of at most 20 scalar values and 4 kB: counts, switches and short texts (the SDK
 * sends a scrubbed error message and stack), never nested documents. Checked by hand rather than
 * with z.record: the same rules at a tenth of the cost, which matters at 100 events a batch.
 */
const props = z.custom<Props>()
  .superRefine((value, ctx) => {
    const problem = propsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    type: 'object', maxProperties: 20, description: 'flat: string (≤ 2000 chars), number or boolean values; names ≤ 64 chars; ≤ 4 kB',
    additionalProperties: { type: ['string', 'number', 'boolean'] },
  });

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
  batchId: uuid(),
  /** optional: the product code the app believes it is; must be the token's */
  product: z.string().trim().min(1).max(32).optional(),
  /** defaults for events that do not carry their own versions */
  app: z.strictObject({ version: version.optional(), os: version.optional() }).optional(),
  // The count limit (500) is checked by the route and answered with 413, like the size limit.
  events: z.array(TelemetryEvent).min(1),
});
export type TelemetryBatchBody = z.infer<typeof TelemetryBatchBody>;

export const TelemetryAccepted = z.object({
  accepted: z.number().int(), rejected: z.number().int(), duplicate: z.boolean(),
  /** "off": the holder objected or is restricted, or the policy collects nothing — stop sending */
  telemetry: z.enum(['on', 'off']),
});

export const GROUP_BY = ['feature', 'version', 'os', 'day'] as const;
export type StatsGroupBy = (typeof GROUP_BY)[number];

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
  .refine(isStorableDate, 'a date between the years 1 and 9999');

export const TelemetryStatsQuery = z.strictObject({
  product: z.string().trim().min(1).max(64),
  from: dayOrInstant,
  to: dayOrInstant,
  groupBy: z.enum(GROUP_BY).default('day'),
  customerId: uuid().optional(),
}).refine((q) => q.from.getTime() < q.to.getTime(), { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 800 * 86_400_000, { message: 'at most 800 days', path: ['to'] });
export type TelemetryStatsQuery = z.infer<typeof TelemetryStatsQuery>;

const range = z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).nullable();

export const TelemetryStatsView = z.object({
  product: z.object({ id: z.uuid(), code: z.string() }),
  from: z.iso.datetime(), to: z.iso.datetime(), groupBy: z.enum(GROUP_BY), customerId: z.uuid().nullable(),
  minCellUsers: z.number().int().describe('cells with fewer distinct users are left out (counted in suppressedCells)'),
  cells: z.array(z.object({
    key: z.string(), events: z.number().int(), activeUsers: z.number().int(),
    activeUsersExact: z.boolean().describe('false when part of the cell comes from daily roll-ups (then a sum of daily counts)'),
    durationMs: z.object({ p50: z.number(), p90: z.number() }).nullable(),
  })),
  suppressedCells: z.number().int(),
  sources: z.object({ rawEvents: range, dailyRollups: range }),
});

export const TELEMETRY_BATCH_EXAMPLE = {
  batchId: '2c1f8a4e-7b3d-4c59-9e60-1d2f3a4b5c6d',
  app: { version: '5.2.1', os: 'Windows 11 23H2' },
  events: [
    { type: 'session_start', name: 'app', at: '2026-12-01T08:00:01.000Z' },
    { type: 'feature', name: 'export_pdf', at: '2026-12-01T08:03:12.000Z', props: { pages: 12 } },
    { type: 'session_end', name: 'app', at: '2026-12-01T09:30:00.000Z', durationMs: 5_399_000 },
  ],
};
