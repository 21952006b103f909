/**
 * Monthly partitions of telemetry_events: created ahead by the service (current month + 2 at
 * start-up and daily) and on demand when a batch holds events of a month without one (a service
 * that was down at a month boundary, an event from last month).
 *
 * DDL runs as one script on a raw connection: on embedded PGlite (one session) a script is not
 * interleaved with other queries, and on PostgreSQL the advisory lock keeps two instances from
 * creating the same partition at once.
 */
import type { SqlConnection } from '../db/sql-connection';
import type { Services } from '../services';
import { DEFAULT_PARTITION, monthKey, monthRange, monthStart, partitionMonth, partitionName } from './months';

const PARTITION_DDL_LOCK = 72707370;

/** Months known to have a partition, per service instance: the hot path asks the catalogue once. */
const known = new WeakMap<Services, Set<string>>();

function knownMonths(services: Services): Set<string> {
  let set = known.get(services);
  if (!set) known.set(services, (set = new Set()));
  return set;
}

export function forgetPartition(services: Services, month: string): void {
  knownMonths(services).delete(month);
}

const literal = (at: Date) => `'${at.toISOString().slice(0, 23).replace('T', ' ')}'`;

/**
 * Creates the partition of `month` if it does not exist. Rows that reached the default partition
 * for that month are moved into it in the same transaction (PostgreSQL refuses to create a
 * partition whose rows sit in the default one).
 */
function createPartitionScript(month: string): string {
  const { from, to } = monthRange(month);
  const name = partitionName(month);
  const range = `"at" >= ${literal(from)} AND "at" < ${literal(to)}`;
  return `BEGIN;
SELECT pg_advisory_xact_lock(${PARTITION_DDL_LOCK});
CREATE TEMP TABLE telemetry_moving ON COMMIT DROP AS
  WITH moved AS (DELETE FROM "${DEFAULT_PARTITION}" WHERE ${range} RETURNING *) SELECT * FROM moved;
CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "telemetry_events" FOR VALUES FROM (${literal(from)}) TO (${literal(to)});
INSERT INTO "telemetry_events" SELECT * FROM telemetry_moving;
COMMIT;`;
}

async function runScript(conn: SqlConnection, script: string): Promise<void> {
  try {
    await conn.exec(script);
  } catch (error) {
    await conn.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export interface TelemetryPartition { name: string; month: string }

export async function listPartitions(conn: SqlConnection): Promise<TelemetryPartition[]> {
  const rows = await conn.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'telemetry_events' AND p.relnamespace = to_regnamespace(current_schema())::oid`,
  );
  return rows
    .map((row) => ({ name: row.name, month: partitionMonth(row.name) }))
    .filter((p): p is TelemetryPartition => p.month !== null)
    .sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * Makes sure every month in `months` has a partition; returns the months it created. Uses `conn`
 * when given (a caller holding a pooled connection must not wait for a second one).
 */
export async function ensurePartitions(services: Services, months: Iterable<string>, conn?: SqlConnection): Promise<string[]> {
  const cache = knownMonths(services);
  const wanted = [...new Set(months)].filter((m) => !cache.has(m));
  if (wanted.length === 0) return [];
  const own = conn ? null : await services.db.connect();
  const c = conn ?? own!;
  try {
    const existing = new Set((await listPartitions(c)).map((p) => p.month));
    const created: string[] = [];
    for (const month of wanted.sort()) {
      if (!existing.has(month)) {
        await runScript(c, createPartitionScript(month));
        created.push(month);
      }
      cache.add(month);
    }
    return created;
  } finally {
    await own?.release();
  }
}

/** Partitions for the current month and the next `ahead` ones, plus last month (late events). */
export async function createPartitionsAhead(services: Services, now: Date, ahead = 2): Promise<string[]> {
  const months: string[] = [];
  for (let offset = -1; offset <= ahead; offset++) months.push(monthKey(monthStart(now, offset)));
  return ensurePartitions(services, months);
}
