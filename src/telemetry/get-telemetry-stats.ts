/**
 * Aggregates for staff: event counts, active users (distinct pseudonyms) and durations per
 * feature, version, OS or day. Raw events answer for the period they still cover (exact distinct
 * counts, percentiles); daily roll-ups answer for the expired period before it.
 *
 * Filtering by customer stores nothing new with events: the pseudonyms of the customer's contacts
 * for each month of the range are recomputed (contacts × months HMACs) and matched with
 * `pseudonym = ANY(...)` within the range. Roll-ups carry no pseudonyms, so a customer filter
 * covers the raw period only; `sources` says which periods an answer covers.
 */
import type { Services } from '../services';
import { notFound } from '../http/problem';
import { DEFAULT_TELEMETRY_RETENTION_MONTHS } from './expire-telemetry';
import { monthRange, monthsBetween, monthStart, retentionCutoff } from './months';
import { telemetryPseudonym } from './pseudonym';
import { dayStart, ROLLUP_DIMENSIONS } from './rollup-telemetry';
import { buildCells, MIN_CELL_USERS, type RawCell, type RollupCell } from './stats-cells';
import { listPartitions } from './telemetry-partitions';
import type { StatsGroupBy, TelemetryStatsQuery } from './telemetry.schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RAW_KEY: Record<StatsGroupBy, string> = {
  feature: `"name"`,
  version: ROLLUP_DIMENSIONS.version,
  os: ROLLUP_DIMENSIONS.os,
  day: `to_char("at", 'YYYY-MM-DD')`,
};

/** Durations of a feature are its own; for the other groupings, the session lengths in the cell. */
const DURATION_OF: Record<StatsGroupBy, string> = {
  feature: `"durationMs" IS NOT NULL`, version: `"type" = 'session_end'`, os: `"type" = 'session_end'`, day: `"type" = 'session_end'`,
};

async function rawCells(services: Services, productId: string, groupBy: StatsGroupBy, from: Date, to: Date, pseudonyms: string[] | null) {
  const filter = DURATION_OF[groupBy];
  const rows = await services.prisma.$queryRawUnsafe<RawCell[]>(
    `SELECT ${RAW_KEY[groupBy]} AS "key", count(*)::int AS "events", count(DISTINCT "pseudonym")::int AS "activeUsers",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") FILTER (WHERE ${filter}) AS "p50",
            percentile_cont(0.9) WITHIN GROUP (ORDER BY "durationMs") FILTER (WHERE ${filter}) AS "p90"
       FROM "telemetry_events"
      WHERE "productId" = $1::uuid AND "at" >= $2::timestamp(3) AND "at" < $3::timestamp(3)
        ${groupBy === 'feature' ? `AND "type" = 'feature'` : ''}
        ${pseudonyms ? `AND "pseudonym" = ANY($4::text[])` : ''}
      GROUP BY 1`,
    productId, from.toISOString(), to.toISOString(), ...(pseudonyms ? [pseudonyms] : []),
  );
  return rows.map((r) => ({ ...r, p50: r.p50 === null ? null : Number(r.p50), p90: r.p90 === null ? null : Number(r.p90) }));
}

async function rollupCells(services: Services, productId: string, groupBy: StatsGroupBy, from: Date, to: Date) {
  return services.prisma.$queryRawUnsafe<RollupCell[]>(
    `SELECT ${groupBy === 'day' ? `to_char("day", 'YYYY-MM-DD')` : `"value"`} AS "key", sum("events")::int AS "events",
            sum("activeUsers")::int AS "userDays", max("activeUsers")::int AS "peakDailyUsers"
       FROM "telemetry_daily_rollups"
      WHERE "productId" = $1::uuid AND "dimension" = $2 AND "day" >= $3::timestamp(3)::date AND "day" < $4::timestamp(3)::date
      GROUP BY 1`,
    productId, groupBy, from.toISOString(), to.toISOString(),
  );
}

async function customerPseudonyms(services: Services, customerId: string, from: Date, to: Date): Promise<string[]> {
  const customer = await services.prisma.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!customer) throw notFound('customer');
  const contacts = await services.prisma.contact.findMany({ where: { customerId }, select: { id: true } });
  const months = monthsBetween(from, new Date(to.getTime() - 1));
  const key = services.config.secrets.telemetryKey;
  return contacts.flatMap((c) => months.map((m) => telemetryPseudonym(key, c.id, m)));
}

/**
 * Where raw events may begin: the retention cutoff's month, or an older partition that the
 * retention run has not dropped yet. Before that, only roll-ups remain.
 */
async function rawDataStart(services: Services, now: Date): Promise<Date> {
  const retained = monthStart(retentionCutoff(now, DEFAULT_TELEMETRY_RETENTION_MONTHS));
  const conn = await services.db.connect();
  try {
    const partitions = await listPartitions(conn);
    const oldest = partitions.length > 0 ? monthRange(partitions[0].month).from : retained;
    return oldest < retained ? oldest : retained;
  } finally {
    await conn.release();
  }
}

export async function getTelemetryStats(services: Services, query: TelemetryStatsQuery, now: Date) {
  const product = await services.prisma.product.findFirst({
    where: UUID.test(query.product) ? { OR: [{ id: query.product }, { code: query.product }] } : { code: query.product },
    select: { id: true, code: true },
  });
  if (!product) throw notFound('product');
  const rawStart = await rawDataStart(services, now);
  const rawFrom = query.from > rawStart ? query.from : rawStart;
  const rawRange = rawFrom < query.to ? { from: rawFrom, to: query.to } : null;
  // Roll-ups are whole days; they answer only for the days before raw events begin.
  const rollupTo = dayStart(rawRange ? rawRange.from : query.to);
  const rollupRange = !query.customerId && dayStart(query.from) < rollupTo ? { from: dayStart(query.from), to: rollupTo } : null;

  const pseudonyms = query.customerId
    ? await customerPseudonyms(services, query.customerId, rawRange?.from ?? query.from, rawRange?.to ?? query.from) : null;
  const raw = rawRange && (!pseudonyms || pseudonyms.length > 0)
    ? await rawCells(services, product.id, query.groupBy, rawRange.from, rawRange.to, pseudonyms) : [];
  const rollups = rollupRange ? await rollupCells(services, product.id, query.groupBy, rollupRange.from, rollupRange.to) : [];
  const { cells, suppressedCells } = buildCells(raw, rollups, query.groupBy === 'day');
  const iso = (r: { from: Date; to: Date } | null) => (r ? { from: r.from.toISOString(), to: r.to.toISOString() } : null);
  return {
    product: { id: product.id, code: product.code },
    from: query.from.toISOString(), to: query.to.toISOString(), groupBy: query.groupBy, customerId: query.customerId ?? null,
    minCellUsers: MIN_CELL_USERS,
    cells,
    suppressedCells,
    sources: { rawEvents: iso(rawRange), dailyRollups: iso(rollupRange) },
  };
}
