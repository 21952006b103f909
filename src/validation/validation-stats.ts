/**
 * Validations by result code over a window, in buckets (hours for a day, days for a month), for the
 * console's dashboard. Counts only: no licence, device or person appears, so any staff role may read it.
 */
import type { Services } from '../services';

export const WINDOWS = { '24h': { hours: 24, bucket: 'hour' }, '30d': { hours: 30 * 24, bucket: 'day' } } as const;
export type StatsWindow = keyof typeof WINDOWS;

export interface ValidationStats {
  window: StatsWindow;
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  totals: Record<string, number>;
  buckets: { start: string; counts: Record<string, number> }[];
}

export async function validationStats(services: Services, window: StatsWindow): Promise<ValidationStats> {
  const { hours, bucket } = WINDOWS[window];
  const to = services.now();
  const from = new Date(to.getTime() - hours * 3600_000);
  const rows = await services.prisma.$queryRawUnsafe<{ start: Date; code: string; n: bigint | number }[]>(
    `SELECT date_trunc('${bucket}', "at") AS start, "code"::text AS code, count(*) AS n
       FROM "validation_events" WHERE "at" >= $1 AND "at" <= $2 GROUP BY 1, 2 ORDER BY 1`,
    from, to,
  );
  const totals: Record<string, number> = {};
  const byStart = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const n = Number(row.n);
    const start = new Date(row.start).toISOString();
    totals[row.code] = (totals[row.code] ?? 0) + n;
    const counts = byStart.get(start) ?? {};
    counts[row.code] = (counts[row.code] ?? 0) + n;
    byStart.set(start, counts);
  }
  return {
    window, bucket, from: from.toISOString(), to: to.toISOString(), totals,
    buckets: [...byStart.entries()].map(([start, counts]) => ({ start, counts })),
  };
}
