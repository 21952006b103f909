import { z } from 'zod';

/**
 * A UUID, canonical (lower-case) from the moment it is parsed: PostgreSQL stores and compares
 * UUIDs lower-case, and the audit chain hashes ids as given, so an id must never reach the domain
 * in another spelling.
 */
export const uuid = () => z.uuid().toLowerCase();

export const IdParams = z.strictObject({ id: uuid() });

/** Keyset paging by id: stable under concurrent inserts, cheap at any depth. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: uuid().optional(),
});

export function page<T extends { id: string }>(items: T[], limit: number) {
  return { items, nextAfter: items.length === limit ? items[items.length - 1].id : null };
}

/** Text a person typed: trimmed, no control characters, bounded. */
export const text = (max: number) =>
  z.string().trim().min(1).max(max).refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v), 'control characters are not allowed');

/**
 * Whether PostgreSQL can store the date: it has no year 0 (a JavaScript date in year 0 is 1 BC,
 * which a clock reset to 0000-01-01 produces) and the driver writes years above 9999 as no
 * timestamp it accepts.
 */
export const isStorableDate = (d: Date) => { const year = d.getUTCFullYear(); return year >= 1 && year <= 9999; };

/** An ISO 8601 instant with an offset, as text (for queries that compare it as given). */
// (A string that is no date at all is reported by the format check alone.)
export const isoInstant = z.iso.datetime({ offset: true }).refine((v) => Number.isNaN(Date.parse(v)) || isStorableDate(new Date(v)), 'a date between the years 1 and 9999');

export const isoDate = isoInstant.transform((v) => new Date(v));

/** Response shapes: an instant as the API writes it (`toISOString()`), and the list envelopes. */
export const Instant = z.iso.datetime();
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextAfter: z.uuid().nullable() });
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
