/**
 * The database side of the validation hot path.
 *
 * On PostgreSQL it has connections of its own (a bulkhead: a slow staff search or a telemetry
 * burst cannot take validation's connections) and uses prepared statements: planning the facts
 * query costs more than running it (measured: 0.63 ms named vs 1.26 ms unnamed per call), and
 * Prisma's raw queries are never prepared. On the embedded database (one session anyway) it goes
 * through Prisma.
 *
 * Reads and writes are grouped. Validation events go through a group commit: a request's event is
 * written before its verdict is answered, but concurrent requests share one multi-row statement
 * (at most two in flight), sent at the end of the event loop's turn with every event of that
 * turn (statement-batcher.ts, gatherTurn). An idle service writes each event within the turn;
 * under load one statement and one commit serve many validations. If the write fails, every
 * validation in that batch fails with it: no verdict leaves without its record. The facts are
 * read the same way (one statement for every key queued meanwhile): on a small machine each round
 * trip to PostgreSQL costs a context switch on both sides, which weighed more than the query itself.
 */
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { StatementBatcher as Batcher } from '../db/statement-batcher';
import type { Services } from '../services';
import type { DeviceIdentity } from '../devices/device-identity';
import { FACTS_BY_DIGESTS, factsByDigestsParams, loadFactsByDigest, toFacts, type FactsRow, type SqlRunner, type ValidationFacts } from './load-validation-facts';
import { recordValidation, type ValidationRecord } from './record-validation';

export interface HotPath {
  /** the validation facts of a key digest for this device (load-validation-facts.ts) */
  facts(digest: string, identity: DeviceIdentity): Promise<ValidationFacts | null>;
  record(record: ValidationRecord): Promise<void>;
}

interface FactsLookup { digest: string; identity: DeviceIdentity }

const POOL_SIZE = 10;
const MAX_BATCH = 500;
const MAX_READ_BATCH = 100;
// Statements of each kind in flight. Fewer means larger groups: fewer round trips, less CPU for
// both processes, a little more waiting. Measured on a quiet 2-core machine (bench/README.md, third
// pass), four rounds interleaved: two in flight made 1023 req/s at 875 µs of server CPU and 0.28
// statements per validation, four 786 req/s at 1133 µs and 0.55 statements, one 947 req/s at 955 µs
// with a longer wait. (Four had won on a machine loaded by other processes, where PostgreSQL was
// slow to get a core and the service waited for it: 1777 against 1305 req/s.)
const MAX_IN_FLIGHT = 2;
// Calls of one event-loop turn share a statement (statement-batcher.ts). Measured at an evenly
// paced 1,000 req/s, fraud signals on: 0.38 reads and 0.34 writes per validation instead of 0.68
// and 0.67, server CPU per validation 762–809 instead of 788–843 µs (bench/README.md, fourth pass).
const GATHER_TURN = true;

// Same statement as record-validation.ts, for many rows: the events, and each touched device's
// newest lastSeenAt; committed without waiting for the WAL flush (see there for why).
const RECORD_BATCH = `
WITH batch AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::"ValidationCode"[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[], $8::timestamp(3)[], $9::boolean[])
    AS b("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at, touch)),
touched AS (
  UPDATE devices d SET "lastSeenAt" = t.at, "activationMode" = 'online'
  FROM (SELECT DISTINCT ON ("deviceId") "deviceId", at FROM batch WHERE touch ORDER BY "deviceId", at DESC) t
  WHERE d.id = t."deviceId" RETURNING 1)
INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at)
SELECT "licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at
FROM batch, (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

function groupCommit(run: SqlRunner): Batcher<ValidationRecord, void> {
  return new Batcher(async (rows) => {
    await run(RECORD_BATCH, [
      rows.map((r) => r.licenceId), rows.map((r) => r.deviceId), rows.map((r) => r.code), rows.map((r) => r.appVersion),
      rows.map((r) => r.osVersion), rows.map((r) => r.networkHash), rows.map((r) => r.clientTime?.toISOString() ?? null),
      rows.map((r) => r.at.toISOString()), rows.map((r) => r.touchDevice),
    ]);
    return [];
  }, MAX_BATCH, MAX_IN_FLIGHT, undefined, GATHER_TURN);
}

/**
 * The facts read, grouped the same way: one statement looks up every queued key (an unknown key
 * simply has no row). Each request still reads after it arrived, so a staff action committed
 * before a validation is seen by it, as with one statement per request.
 */
function groupRead(run: SqlRunner): Batcher<FactsLookup, ValidationFacts | null> {
  return new Batcher(async (lookups) => {
    const rows = await run<FactsRow & { n: number }>(FACTS_BY_DIGESTS, factsByDigestsParams(lookups));
    const facts: (ValidationFacts | null)[] = lookups.map(() => null);
    for (const row of rows) facts[row.n - 1] = toFacts(row);
    return facts;
  }, MAX_READ_BATCH, MAX_IN_FLIGHT, undefined, GATHER_TURN);
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
  const pool = new Pool({
    connectionString: services.config.databaseUrl, max: POOL_SIZE, idleTimeoutMillis: 30_000, allowExitOnIdle: true,
    // The connections the grouped statements use (two of each kind in flight) stay open through a
    // quiet spell: a new one costs ≈ 15–20 ms to open and ≈ 6–8 ms for its first prepared
    // statement (measured here), which the first validations after a quiet night would wait for.
    min: MAX_IN_FLIGHT * 2,
    // Generic plans only: these statements are index lookups whatever their parameters, but the
    // planner's default keeps re-planning the batched ones (their arrays make a custom plan look
    // cheaper than the generic one), which costs more than running them — measured, PostgreSQL
    // CPU per call: batched facts read of one key 775 → 175 µs, one event 290 → 150 µs. Set before
    // the connection is first used; if it fails, plans are only slower.
    onConnect: async (client) => { await client.query('SET plan_cache_mode = force_generic_plan').catch(() => {}); },
  });
  pool.on('error', (error) => {
    // An idle connection ended by the server (restart, failover, a dropped database) is replaced on next use.
    const pgCode = (error as { code?: string }).code;
    services.logger[pgCode === '57P01' ? 'debug' : 'warn']({ err: error.name, pgCode }, 'validation connection lost');
  });
  services.onClose(() => pool.end());
  const run: SqlRunner = async (sql, params) => (await pool.query({ name: statementName(sql), text: sql, values: params })).rows;
  const reads = groupRead(run);
  const events = groupCommit(run);
  return { facts: (digest, identity) => reads.call({ digest, identity }), record: (record) => events.call(record) };
}

function prismaHotPath(services: Services): HotPath {
  const run: SqlRunner = (sql, params) => services.prisma.$queryRawUnsafe(sql, ...params);
  return { facts: (digest, identity) => loadFactsByDigest(run, digest, identity), record: (record) => recordValidation(run, record) };
}
