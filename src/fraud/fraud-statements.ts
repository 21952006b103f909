/**
 * The statements of fraud evaluation that run once per licence and firing — a licence's first
 * sighting (its known aliases, the upsert of its sightings, the machines and accounts it was
 * seen with), the opening of an alert and the append of a firing's evidence — grouped across licences: evaluations
 * running at once (up to EVALUATION_CONCURRENCY) share one statement of each kind instead of a
 * round trip each (StatementBatcher, as validation's hot path groups its own). A storm's first
 * run, where every storm licence is new, costs a few statements per batch of licences rather than
 * three per licence and an opening each. Each call still sees what its own evaluation wrote before (it awaits its
 * write before its read), and an evaluation of one licence runs alone (fraud-runtime.ts), so one
 * statement never holds two writes of the same row; the batchers keep it so regardless.
 *
 * One statement of each kind in flight: fraud is background work, so fewer, larger statements
 * (less CPU for both processes) are worth a little latency. The rarer statements that are not
 * grouped (churn's two reads) pass a gate of UNGROUPED_IN_FLIGHT: so fraud holds at most
 * 6 + 2 = 8 connections of the service's pool (10) however many evaluations run at
 * once (fraud-runtime.ts), and the pool's last two stay with the other routes.
 */
import { StatementBatcher } from '../db/statement-batcher';
import type { Services } from '../services';
import { EVIDENCE_HEAD, EVIDENCE_TAIL } from './alert-evidence';
import type { MacSighting, SeenValue, Severity, SignalName } from './fraud-signals';
import type { KnownAlias } from './machine-identity';
import type { ObservationWrite } from './observation-store';

export interface Seen { machines: SeenValue[]; accounts: SeenValue[] }
export interface EvidenceAppend { openKey: string; severity: Severity; at: Date; entryEnc: string }
export interface AlertOpening {
  alertId: string; licenceId: string; customerId: string; holderId: string; signal: SignalName; severity: Severity;
  openKey: string; evidenceEnc: string; at: Date;
  /** a dismissal of this licence and signal since then keeps it quiet */
  coolingDownSince: Date;
  /** the fraud.alert.opened webhook event's data, as JSON */
  eventData: string;
}
/** null: the holder is gone (erased) */
export type OpeningOutcome = { objected: boolean; coolingDown: boolean; opened: boolean } | null;

const MAX_BATCH = 100;
/** sightings of a licence's MACs on other licences read per evaluation (what the signal needs is one) */
export const MAC_SIGHTINGS_PER_CALL = 50;
const IN_FLIGHT = 1;
export const UNGROUPED_IN_FLIGHT = 2;
// Arrays of enum values are sent as text[] and cast in the statement: the embedded database's
// driver cannot serialise a parameter typed as an array of an enum.

const KNOWN_ALIASES = `
SELECT q.n, o."valueIndex", o.ref, o."lastAt"
  FROM unnest($1::uuid[], $2::text[], $3::int[]) AS q("licenceId", alias, n)
  JOIN fraud_observations o ON o."licenceId" = q."licenceId" AND o.kind = 'machine_alias' AND o."valueIndex" = q.alias`;

// An existing row keeps its first sighting and its ref, and its lastAt only moves forward.
const TOUCH = `
INSERT INTO fraud_observations ("licenceId", kind, "valueIndex", ref, "firstAt", "lastAt", count)
SELECT "licenceId", kind::"FraudObservationKind", "valueIndex", ref, at, at, 1
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamp(3)[]) AS w("licenceId", kind, "valueIndex", ref, at)
ON CONFLICT ("licenceId", kind, "valueIndex") DO UPDATE
  SET "lastAt" = GREATEST(fraud_observations."lastAt", EXCLUDED."lastAt"), count = fraud_observations.count + 1`;

// At most 1,000 rows per licence (a licence has one row per machine and account in the window).
const SEEN_SINCE = `
SELECT q.n::int AS n, o.kind::text AS kind, o."valueIndex", o."firstAt", o."lastAt", o.count
  FROM unnest($1::uuid[], $2::timestamp(3)[]) WITH ORDINALITY AS q("licenceId", since, n)
  CROSS JOIN LATERAL (
    SELECT kind, "valueIndex", "firstAt", "lastAt", count FROM fraud_observations
     WHERE "licenceId" = q."licenceId" AND kind IN ('machine', 'account') AND "lastAt" >= q.since
     ORDER BY "firstAt" LIMIT 1000) o
 ORDER BY q.n, o."firstAt"`;

// The devices of other licences that carry one of a licence's MACs (device_macs.macIndex), at most
// MAC_SIGHTINGS_PER_CALL per calling licence, with what the MAC collision signal compares.
const MAC_SIGHTINGS = `
SELECT q.n::int AS n, s."macIndex", s."licenceId", s."lastSeenAt", s."deviceId", s."pcNameIndex", s."customerId"
  FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS q("licenceId", macs, n)
  CROSS JOIN LATERAL (
    SELECT m."macIndex", m."licenceId", m."lastSeenAt", d.id AS "deviceId", d."pcNameIndex", l."customerId"
      FROM device_macs m JOIN devices d ON d.id = m."deviceId" JOIN licences l ON l.id = d."licenceId"
     WHERE m."macIndex" = ANY(string_to_array(q.macs, ',')) AND m."licenceId" <> q."licenceId"
     LIMIT ${MAC_SIGHTINGS_PER_CALL}) s`;

// Each firing counted, severity and last-evidence time raised, its sealed entry written into its
// slot (the first EVIDENCE_HEAD firings, then a ring of the latest EVIDENCE_TAIL); evidenceCount
// counts the opening too, so the new entry's 0-based index is the new count − 2. Answers the
// firings that found an open alert.
const APPEND = `
WITH f AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp(3)[], $4::text[]) WITH ORDINALITY AS f("openKey", severity, at, entry, n)
), alert AS (
  UPDATE fraud_alerts a
     SET "evidenceCount" = a."evidenceCount" + 1,
         severity = GREATEST(a.severity, f.severity::"AlertSeverity"),
         "lastEvidenceAt" = GREATEST(a."lastEvidenceAt", f.at),
         "updatedAt" = f.at
    FROM f
   WHERE a."openKey" = f."openKey"
  RETURNING a.id, a."evidenceCount" - 2 AS idx, f.at, f.entry, f.n
), added AS (
  INSERT INTO fraud_alert_evidence ("alertId", slot, at, "entryEnc")
  SELECT id, CASE WHEN idx < ${EVIDENCE_HEAD + EVIDENCE_TAIL} THEN idx ELSE ${EVIDENCE_HEAD} + (idx - ${EVIDENCE_HEAD}) % ${EVIDENCE_TAIL} END, at, entry
    FROM alert
  ON CONFLICT ("alertId", slot) DO UPDATE SET at = EXCLUDED.at, "entryEnc" = EXCLUDED."entryEnc"
  RETURNING "alertId"
)
SELECT alert.n::int AS n FROM alert JOIN added ON added."alertId" = alert.id`;

// Opens each alert with its webhook event, unless its holder objected or is restricted, or the
// signal was dismissed within its cool-down; answers each opening's preconditions and whether it
// opened (not when an alert is already open: ON CONFLICT on the open key). No row: no holder.
const OPEN = `
WITH f AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamp(3)[], $10::timestamp(3)[], $11::text[])
    WITH ORDINALITY AS f(id, "licenceId", "customerId", "holderId", signal, severity, "openKey", "evidenceEnc", at, "coolingDownSince", "eventData", n)
), pre AS (
  SELECT f.*, (c."profilingObjectedAt" IS NOT NULL OR c."restrictedAt" IS NOT NULL) AS objected,
         EXISTS (SELECT 1 FROM fraud_alerts a
                  WHERE a."licenceId" = f."licenceId" AND a.signal = f.signal::"FraudSignal"
                    AND a.status = 'dismissed' AND a."decidedAt" >= f."coolingDownSince") AS "coolingDown"
    FROM f JOIN contacts c ON c.id = f."holderId"
), opened AS (
  INSERT INTO fraud_alerts (id, "licenceId", "customerId", signal, severity, status, "openKey", "evidenceEnc", "evidenceCount", "openedAt", "lastEvidenceAt", "updatedAt")
  SELECT id, "licenceId", "customerId", signal::"FraudSignal", severity::"AlertSeverity", 'open', "openKey", "evidenceEnc", 1, at, at, at
    FROM pre WHERE NOT pre.objected AND NOT pre."coolingDown"
  ON CONFLICT DO NOTHING
  RETURNING id
), event AS (
  INSERT INTO webhook_events (id, type, "occurredAt", data)
  SELECT gen_random_uuid(), $12, pre.at, pre."eventData"::jsonb FROM pre JOIN opened ON opened.id = pre.id
)
SELECT pre.n::int AS n, pre.objected, pre."coolingDown", (opened.id IS NOT NULL) AS opened FROM pre LEFT JOIN opened ON opened.id = pre.id`;

export interface FraudStatements {
  knownAliases(licenceId: string, aliases: string[]): Promise<KnownAlias[]>;
  touchObservations(licenceId: string, writes: ObservationWrite[], now: Date): Promise<void>;
  seenSince(licenceId: string, since: Date): Promise<Seen>;
  /** devices of other licences that carry one of `macIndexes` (MAC collision) */
  macSightings(licenceId: string, customerId: string, macIndexes: string[]): Promise<MacSighting[]>;
  /** false when no alert is open under the key */
  appendEvidence(append: EvidenceAppend): Promise<boolean>;
  openAlert(opening: AlertOpening): Promise<OpeningOutcome>;
  /** runs a statement that is not grouped once fewer than UNGROUPED_IN_FLIGHT of them run */
  ungrouped<T>(statement: () => Promise<T>): Promise<T>;
}

/** At most `limit` statements at once; the others wait their turn, first come first served. */
function gate(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(statement: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await statement();
    } finally {
      // The turn passes on directly: `running` stays counted for the next one.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

const iso = (d: Date) => d.toISOString();
const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function build(services: Services): FraudStatements {
  const run = <R>(sql: string, params: unknown[]) => services.prisma.$queryRawUnsafe<R[]>(sql, ...params);

  const aliases = new StatementBatcher<{ licenceId: string; aliases: string[] }, KnownAlias[]>(async (calls) => {
    const pairs = calls.flatMap((c, i) => c.aliases.map((alias) => [c.licenceId, alias, i] as const));
    const rows = await run<{ n: number; valueIndex: string; ref: string | null; lastAt: Date | string }>(
      KNOWN_ALIASES, [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])]);
    const known: KnownAlias[][] = calls.map(() => []);
    for (const r of rows) known[Number(r.n)].push({ alias: r.valueIndex, machineKey: r.ref ?? r.valueIndex, lastAt: asDate(r.lastAt) });
    return known;
  }, MAX_BATCH, IN_FLIGHT);

  // Rows are keyed by licence, so calls of different licences never touch one row.
  const touches = new StatementBatcher<{ licenceId: string; writes: ObservationWrite[]; now: Date }, void>(async (calls) => {
    const rows = calls.flatMap((c) => {
      // One row may not be hit twice by one INSERT … ON CONFLICT: de-duplicated per call.
      const unique = [...new Map(c.writes.map((w) => [`${w.kind}:${w.valueIndex}`, w])).values()];
      return unique.map((w) => ({ licenceId: c.licenceId, w, at: iso(c.now) }));
    });
    await run(TOUCH, [rows.map((r) => r.licenceId), rows.map((r) => r.w.kind), rows.map((r) => r.w.valueIndex), rows.map((r) => r.w.ref ?? null), rows.map((r) => r.at)]);
    return [];
  }, MAX_BATCH, IN_FLIGHT, (c) => c.licenceId);

  const seen = new StatementBatcher<{ licenceId: string; since: Date }, Seen>(async (calls) => {
    const rows = await run<{ n: number; kind: string; valueIndex: string; firstAt: Date | string; lastAt: Date | string; count: number }>(
      SEEN_SINCE, [calls.map((c) => c.licenceId), calls.map((c) => iso(c.since))]);
    const out: Seen[] = calls.map(() => ({ machines: [], accounts: [] }));
    for (const r of rows) {
      const value = { key: r.valueIndex, firstAt: asDate(r.firstAt), lastAt: asDate(r.lastAt), count: Number(r.count) };
      (r.kind === 'machine' ? out[Number(r.n) - 1].machines : out[Number(r.n) - 1].accounts).push(value);
    }
    return out;
  }, MAX_BATCH, IN_FLIGHT);

  // Blind indexes are base64url: a comma never occurs in one, so each call's list travels as one text.
  const macs = new StatementBatcher<{ licenceId: string; customerId: string; macIndexes: string[] }, MacSighting[]>(async (calls) => {
    const rows = await run<{ n: number; macIndex: string; licenceId: string; lastSeenAt: Date | string; deviceId: string; pcNameIndex: string; customerId: string }>(
      MAC_SIGHTINGS, [calls.map((c) => c.licenceId), calls.map((c) => c.macIndexes.join(','))]);
    const out: MacSighting[][] = calls.map(() => []);
    for (const r of rows) {
      const call = calls[Number(r.n) - 1];
      out[Number(r.n) - 1].push({
        macIndex: r.macIndex, otherLicenceId: r.licenceId, otherDeviceId: r.deviceId, otherPcNameIndex: r.pcNameIndex,
        sameCustomer: r.customerId === call.customerId, lastSeenAt: asDate(r.lastSeenAt),
      });
    }
    return out;
  }, MAX_BATCH, IN_FLIGHT);

  // One alert row may not be updated twice by one statement: firings of one alert take turns.
  const appends = new StatementBatcher<EvidenceAppend, boolean>(async (calls) => {
    const rows = await run<{ n: number }>(APPEND, [calls.map((c) => c.openKey), calls.map((c) => c.severity), calls.map((c) => iso(c.at)), calls.map((c) => c.entryEnc)]);
    const found = calls.map(() => false);
    for (const r of rows) found[Number(r.n) - 1] = true;
    return found;
  }, MAX_BATCH, IN_FLIGHT, (c) => c.openKey);

  // One open key per statement: a second opening of the same alert waits and finds it open.
  const openings = new StatementBatcher<AlertOpening, OpeningOutcome>(async (calls) => {
    const col = <K extends keyof AlertOpening>(k: K) => calls.map((c) => c[k]);
    const rows = await run<{ n: number; objected: boolean; coolingDown: boolean; opened: boolean }>(OPEN, [
      col('alertId'), col('licenceId'), col('customerId'), col('holderId'), col('signal'), col('severity'), col('openKey'), col('evidenceEnc'),
      calls.map((c) => iso(c.at)), calls.map((c) => iso(c.coolingDownSince)), col('eventData'), 'fraud.alert.opened',
    ]);
    const out: OpeningOutcome[] = calls.map(() => null);
    for (const r of rows) out[Number(r.n) - 1] = { objected: r.objected, coolingDown: r.coolingDown, opened: r.opened };
    return out;
  }, MAX_BATCH, IN_FLIGHT, (c) => c.openKey);

  return {
    openAlert: (opening) => openings.call(opening),
    knownAliases: (licenceId, list) => (list.length === 0 ? Promise.resolve([]) : aliases.call({ licenceId, aliases: list })),
    touchObservations: (licenceId, writes, now) => (writes.length === 0 ? Promise.resolve() : touches.call({ licenceId, writes, now })),
    seenSince: (licenceId, since) => seen.call({ licenceId, since }),
    macSightings: (licenceId, customerId, macIndexes) => (macIndexes.length === 0 ? Promise.resolve([]) : macs.call({ licenceId, customerId, macIndexes })),
    appendEvidence: (append) => appends.call(append),
    ungrouped: gate(UNGROUPED_IN_FLIGHT),
  };
}

const statements = new WeakMap<Services, FraudStatements>();

export function fraudStatements(services: Services): FraudStatements {
  let s = statements.get(services);
  if (!s) {
    s = build(services);
    statements.set(services, s);
  }
  return s;
}
