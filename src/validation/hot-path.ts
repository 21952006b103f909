/**
 * The database side of the validation hot path.
 *
 * On PostgreSQL it has connections of its own (a bulkhead: a slow staff search or a telemetry
 * burst cannot take validation's connections) and uses prepared statements: planning the facts
 * query costs more than running it (measured: 0.63 ms named vs 1.26 ms unnamed per call), and
 * Prisma's raw queries are never prepared. On the embedded database (one session anyway) it goes
 * through Prisma.
 *
 * Validation events go through a group commit: a request's event is written before its verdict
 * is answered, but concurrent requests share one multi-row statement (at most two in flight).
 * An idle service writes each event at once; under load one statement and one commit serve many
 * validations. If the write fails, every validation in that batch fails with it: no verdict
 * leaves without its record.
 */
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import type { Services } from '../services';
import type { SqlRunner } from './load-validation-facts';
import { recordValidation, type ValidationRecord } from './record-validation';

export interface HotPath {
  run: SqlRunner;
  record(record: ValidationRecord): Promise<void>;
}

const POOL_SIZE = 10;
const MAX_BATCH = 500;
const MAX_IN_FLIGHT = 2;

// Same statement as record-validation.ts, for many rows: the events, and each touched device's
// newest lastSeenAt; committed without waiting for the WAL flush (see there for why).
const RECORD_BATCH = `
WITH batch AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::"ValidationCode"[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[], $8::timestamp(3)[], $9::boolean[])
    AS b("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at, touch)),
touched AS (
  UPDATE devices d SET "lastSeenAt" = t.at
  FROM (SELECT DISTINCT ON ("deviceId") "deviceId", at FROM batch WHERE touch ORDER BY "deviceId", at DESC) t
  WHERE d.id = t."deviceId" RETURNING 1)
INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at)
SELECT "licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at
FROM batch, (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

interface Pending { record: ValidationRecord; resolve(): void; reject(error: unknown): void }

class GroupCommit {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly run: SqlRunner) {}

  write(record: ValidationRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.inFlight < MAX_IN_FLIGHT) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight += 1;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const rows = batch.map((p) => p.record);
        try {
          await this.run(RECORD_BATCH, [
            rows.map((r) => r.licenceId), rows.map((r) => r.deviceId), rows.map((r) => r.code), rows.map((r) => r.appVersion),
            rows.map((r) => r.osVersion), rows.map((r) => r.networkHash), rows.map((r) => r.clientTime?.toISOString() ?? null),
            rows.map((r) => r.at.toISOString()), rows.map((r) => r.touchDevice),
          ]);
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `nomina_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

const hotPaths = new WeakMap<Services, HotPath>();

export function hotPath(services: Services): HotPath {
  let hot = hotPaths.get(services);
  if (!hot) {
    hot = services.db.kind === 'postgres' && services.config.databaseUrl ? postgresHotPath(services) : prismaHotPath(services);
    hotPaths.set(services, hot);
  }
  return hot;
}

function postgresHotPath(services: Services): HotPath {
  // Idle connections close by themselves: nothing to release when the service stops.
  const pool = new Pool({ connectionString: services.config.databaseUrl, max: POOL_SIZE, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
  pool.on('error', (error) => {
    // An idle connection ended by the server (restart, failover, a dropped database) is replaced on next use.
    const pgCode = (error as { code?: string }).code;
    services.logger[pgCode === '57P01' ? 'debug' : 'warn']({ err: error.name, pgCode }, 'validation connection lost');
  });
  const run: SqlRunner = async (sql, params) => (await pool.query({ name: statementName(sql), text: sql, values: params })).rows;
  const events = new GroupCommit(run);
  return { run, record: (record) => events.write(record) };
}

function prismaHotPath(services: Services): HotPath {
  const run: SqlRunner = (sql, params) => services.prisma.$queryRawUnsafe(sql, ...params);
  return { run, record: (record) => recordValidation(run, record) };
}
