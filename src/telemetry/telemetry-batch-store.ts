/**
 * The SQL of batch ingestion: one statement per batch that checks the sender's current state and
 * stores the batch exactly once. Only what cannot change about a licence (its holder and product)
 * is cached in the process; the holder's objection and restriction, the policy and the licence
 * status are read by the same statement that inserts, so a change applies to the next batch.
 */
import type { SqlConnection } from '../db/sql-connection';
import type { Services } from '../services';

export interface LicenceIdentity { holderId: string; productId: string; productCode: string }

const IDENTITY_TTL_MS = 10 * 60_000;
const identities = new WeakMap<Services, Map<string, { identity: LicenceIdentity; until: number }>>();

export async function licenceIdentity(services: Services, conn: SqlConnection, licenceId: string): Promise<LicenceIdentity | null> {
  let cache = identities.get(services);
  if (!cache) identities.set(services, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(licenceId);
  if (hit && hit.until > now) return hit.identity;
  const [row] = await conn.query<LicenceIdentity>(
    `SELECT l."holderId"::text AS "holderId", l."productId"::text AS "productId", p.code AS "productCode"
       FROM licences l JOIN products p ON p.id = l."productId" WHERE l.id = $1::uuid`, [licenceId]);
  if (cache.size >= 50_000) cache.clear();
  if (row) cache.set(licenceId, { identity: row, until: now + IDENTITY_TTL_MS });
  return row ?? null;
}

export function forgetLicenceIdentity(services: Services, licenceId: string): void {
  identities.get(services)?.delete(licenceId);
}

/** What the statement read about the sender: null status = no such licence with that holder (any more). */
export interface StoreOutcome {
  status: 'active' | 'suspended' | 'revoked' | null;
  telemetryObjectedAt: Date | null;
  restrictedAt: Date | null;
  policyTelemetry: 'on' | 'off' | null;
  newBatch: number;
  stored: number;
}

// - The batch row goes in first with ON CONFLICT DO NOTHING, the events only if it was new, in one
//   statement (one transaction): concurrent replays wait on the batch key, then find it taken.
// - Nothing is inserted unless the sender may be collected; the condition is the SQL form of
//   collectionDecision() (event-admission.ts), which then explains the outcome.
// - Pseudonyms and versions are sent once per batch, per event only an index and overrides:
//   half the bytes of whole rows, and loopback I/O is what a batch costs most.
export const STORE_BATCH = `
WITH sender AS (
  SELECT l.status::text AS status, c."telemetryObjectedAt", c."restrictedAt", p.telemetry::text AS "policyTelemetry"
    FROM licences l JOIN contacts c ON c.id = l."holderId" JOIN policies p ON p.id = l."policyId"
   WHERE l.id = $1::uuid AND l."holderId" = $2::uuid
), batch AS (
  INSERT INTO "telemetry_batches" ("batchId", "accepted", "rejected", "receivedAt")
  SELECT $3::uuid, $4::int, $5::int, $6::timestamp(3)
   WHERE EXISTS (SELECT 1 FROM sender WHERE status = 'active' AND "telemetryObjectedAt" IS NULL AND "restrictedAt" IS NULL AND "policyTelemetry" = 'on')
  ON CONFLICT ("batchId") DO NOTHING RETURNING "batchId"
), stored AS (
  INSERT INTO "telemetry_events" ("at", "pseudonym", "productId", "type", "name", "durationMs", "appVersion", "osVersion", "props", "receivedAt")
  SELECT e.at, ($8::text[])[e.p], $7::uuid, e.type::"TelemetryEventType", e.name, e.duration,
         coalesce(e.app, $9::text), coalesce(e.os, $10::text), e.props, $6::timestamp(3)
    FROM unnest($11::timestamp(3)[], $12::int[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], $18::jsonb[])
         AS e(at, p, type, name, duration, app, os, props)
   WHERE EXISTS (SELECT 1 FROM batch)
  RETURNING 1
)
SELECT s.status, s."telemetryObjectedAt", s."restrictedAt", s."policyTelemetry",
       (SELECT count(*) FROM batch)::int AS "newBatch", (SELECT count(*) FROM stored)::int AS "stored"
  FROM (SELECT 1) AS one LEFT JOIN sender s ON true`;
