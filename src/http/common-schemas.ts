import { z } from 'zod';

export const IdParams = z.strictObject({ id: z.uuid() });

/** Keyset paging by id: stable under concurrent inserts, cheap at any depth. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.uuid().optional(),
});

export function page<T extends { id: string }>(items: T[], limit: number) {
  return { items, nextAfter: items.length === limit ? items[items.length - 1].id : null };
}

/** Text a person typed: trimmed, no control characters, bounded. */
export const text = (max: number) =>
  z.string().trim().min(1).max(max).refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v), 'control characters are not allowed');

export const isoDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
