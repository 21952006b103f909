/**
 * Daily roll-ups of raw telemetry: per day, product and dimension value, the number of events and
 * of distinct pseudonyms — and no pseudonym. They are anonymous aggregates, so they outlive the
 * raw events (expiry rolls a month up before dropping it) and answer statistics about expired
 * periods. Re-running a day recomputes it (delete + insert in one transaction), so the job is
 * safe to repeat after a crash or after late events.
 */
import type { Services } from '../services';
import { MAX_EVENT_AGE_MS } from './event-admission';

const DAY = 86_400_000;

export const ROLLUP_DIMENSIONS = {
  day: `'*'`,
  feature: `"name"`,
  version: `coalesce("appVersion", 'unknown')`,
  os: `coalesce("osVersion", 'unknown')`,
} as const;

const select = (dimension: keyof typeof ROLLUP_DIMENSIONS) => `
  SELECT "at"::date, "productId", '${dimension}', ${ROLLUP_DIMENSIONS[dimension]}, count(*)::int, count(DISTINCT "pseudonym")::int
    FROM "telemetry_events"
   WHERE "at" >= $1::timestamp(3) AND "at" < $2::timestamp(3)${dimension === 'feature' ? ` AND "type" = 'feature'` : ''}
   GROUP BY 1, 2, 4`;

/** UTC midnight of the day of `at`. */
export function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY) * DAY);
}

/** Recomputes the roll-ups of the days in [from, to) (both rounded down to UTC midnight). */
export async function rollupTelemetry(services: Services, from: Date, to: Date): Promise<{ days: number; rows: number }> {
  const start = dayStart(from);
  const end = dayStart(to);
  if (end <= start) return { days: 0, rows: 0 };
  const params = [start.toISOString(), end.toISOString()];
  const dims = Object.keys(ROLLUP_DIMENSIONS) as (keyof typeof ROLLUP_DIMENSIONS)[];
  const [, rows] = await services.prisma.$transaction([
    services.prisma.$executeRawUnsafe(`DELETE FROM "telemetry_daily_rollups" WHERE "day" >= $1::timestamp(3)::date AND "day" < $2::timestamp(3)::date`, ...params),
    services.prisma.$executeRawUnsafe(
      `INSERT INTO "telemetry_daily_rollups" ("day", "productId", "dimension", "value", "events", "activeUsers")
       ${dims.map(select).join('\n UNION ALL ')}`, ...params),
  ]);
  return { days: Math.round((end.getTime() - start.getTime()) / DAY), rows };
}

/**
 * The daily job's share: days no late event can change any more (events older than 30 days are
 * refused), a week of them so a few missed runs heal themselves.
 */
export async function rollupSettledDays(services: Services, now: Date) {
  const settled = dayStart(new Date(now.getTime() - MAX_EVENT_AGE_MS));
  return rollupTelemetry(services, new Date(settled.getTime() - 7 * DAY), settled);
}
