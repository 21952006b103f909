/**
 * Expiry of raw telemetry (docs/architecture.md §6, §7): a month whose every event is older than the retention
 * period is rolled up, then its partition is dropped — one catalogue operation, no row-by-row
 * delete, no vacuum debt. Called by the retention run, which keeps the result in its receipt.
 * Re-runnable: a crash between roll-up and drop leaves the month for the next run.
 */
import type { Services } from '../services';
import { MAX_EVENT_AGE_MS } from './event-admission';
import { DEFAULT_PARTITION, isExpired, monthRange, retentionCutoff } from './months';
import { rollupTelemetry } from './rollup-telemetry';
import { forgetPartition, listPartitions } from './telemetry-partitions';

export const DEFAULT_TELEMETRY_RETENTION_MONTHS = 13;

export interface TelemetryExpiryResult {
  dryRun: boolean;
  retentionMonths: number;
  cutoff: string;
  partitions: { month: string; events: number }[];
  /** rows older than the cutoff found in the default partition (written outside ingestion) */
  defaultPartitionEvents: number;
  eventsExpired: number;
  /** idempotency records past any possible replay */
  batchRecordsExpired: number;
}

/**
 * A batch id only needs remembering while a replay could still store something: its events are
 * refused once older than 30 days, so a replay after that stores nothing anyway.
 */
export const BATCH_RECORD_DAYS = MAX_EVENT_AGE_MS / 86_400_000 + 5;

export async function expireTelemetry(
  services: Services, now: Date, options: { dryRun?: boolean; retentionMonths?: number } = {},
): Promise<TelemetryExpiryResult> {
  const dryRun = options.dryRun ?? false;
  const retentionMonths = options.retentionMonths ?? DEFAULT_TELEMETRY_RETENTION_MONTHS;
  const cutoff = retentionCutoff(now, retentionMonths);
  const conn = await services.db.connect();
  try {
    const expired = (await listPartitions(conn)).filter((p) => isExpired(p.month, now, retentionMonths));
    const partitions: TelemetryExpiryResult['partitions'] = [];
    for (const partition of expired) {
      const [{ count }] = await conn.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${partition.name}"`);
      if (!dryRun) {
        const { from, to } = monthRange(partition.month);
        await rollupTelemetry(services, from, to);
        await conn.exec(`DROP TABLE IF EXISTS "${partition.name}"`);
        forgetPartition(services, partition.month);
      }
      partitions.push({ month: partition.month, events: count });
    }
    const stray = `FROM "${DEFAULT_PARTITION}" WHERE "at" < $1::timestamp(3)`;
    const [{ count: strayCount }] = await conn.query<{ count: number }>(`SELECT count(*)::int AS count ${stray}`, [cutoff.toISOString()]);
    if (!dryRun && strayCount > 0) {
      // Only the days that have stray rows: re-rolling a day whose raw events are gone would erase its roll-up.
      const days = await conn.query<{ day: string }>(`SELECT DISTINCT to_char("at", 'YYYY-MM-DD') AS day ${stray}`, [cutoff.toISOString()]);
      for (const { day } of days) {
        const from = new Date(`${day}T00:00:00Z`);
        await rollupTelemetry(services, from, new Date(from.getTime() + 86_400_000));
      }
      await conn.query(`DELETE ${stray}`, [cutoff.toISOString()]);
    }
    const batchCutoff = new Date(now.getTime() - BATCH_RECORD_DAYS * 86_400_000).toISOString();
    const batches = `FROM "telemetry_batches" WHERE "receivedAt" < $1::timestamp(3)`;
    const [{ count: batchRecordsExpired }] = dryRun
      ? await conn.query<{ count: number }>(`SELECT count(*)::int AS count ${batches}`, [batchCutoff])
      : await conn.query<{ count: number }>(`WITH gone AS (DELETE ${batches} RETURNING 1) SELECT count(*)::int AS count FROM gone`, [batchCutoff]);
    return {
      dryRun, retentionMonths, cutoff: cutoff.toISOString(), partitions, batchRecordsExpired,
      defaultPartitionEvents: strayCount,
      eventsExpired: partitions.reduce((sum, p) => sum + p.events, 0) + strayCount,
    };
  } finally {
    await conn.release();
  }
}
