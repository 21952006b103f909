import type { Services } from '../services';
import { AppError } from '../http/problem';
import { admitEvents, collectionDecision } from './event-admission';
import { monthKey } from './months';
import { telemetryPseudonym } from './pseudonym';
import { countDropped, telemetryMetrics } from './telemetry-metrics';
import { ensurePartitions } from './telemetry-partitions';
import type { TelemetryBatchBody, TelemetryEvent } from './telemetry.schemas';

/** Who sent a batch, as established from a verified licence token. Never stored with events. */
export interface TelemetrySender { licenceId: string; productId: string; holderId: string }

export interface IngestResult { accepted: number; rejected: number; duplicate: boolean; telemetry: 'on' | 'off' }

interface SenderFacts {
  status: 'active' | 'suspended' | 'revoked';
  productId: string;
  productCode: string;
  holderId: string;
  telemetryObjectedAt: Date | null;
  restrictedAt: Date | null;
  policyTelemetry: 'on' | 'off';
}

// One round trip: the holder's objection and restriction and the policy are read on every batch,
// so an objection stops collection at once, not after a cache expires.
async function senderFacts(services: Services, licenceId: string): Promise<SenderFacts | null> {
  const rows = await services.prisma.$queryRaw<SenderFacts[]>`
    SELECT l.status::text AS status, l."productId"::text AS "productId", pr.code AS "productCode", l."holderId"::text AS "holderId",
           c."telemetryObjectedAt", c."restrictedAt", p.telemetry::text AS "policyTelemetry"
      FROM licences l JOIN contacts c ON c.id = l."holderId" JOIN policies p ON p.id = l."policyId" JOIN products pr ON pr.id = l."productId"
     WHERE l.id = ${licenceId}::uuid`;
  return rows[0] ?? null;
}

// The batch row is inserted first with ON CONFLICT DO NOTHING, and the events only if it was new,
// in one statement (one transaction): concurrent replays of a batch wait on the batch key and
// then find it taken, so a batch is stored exactly once.
const INSERT_BATCH = `
WITH batch AS (
  INSERT INTO "telemetry_batches" ("batchId", "accepted", "rejected", "receivedAt")
  VALUES ($1::uuid, $2::int, $3::int, $4::timestamp(3))
  ON CONFLICT ("batchId") DO NOTHING RETURNING "batchId"
), stored AS (
  INSERT INTO "telemetry_events" ("at", "pseudonym", "productId", "type", "name", "durationMs", "appVersion", "osVersion", "props", "receivedAt")
  SELECT e.at, e.pseudonym, $5::uuid, e.type::"TelemetryEventType", e.name, e.duration, e.app, e.os, e.props, $4::timestamp(3)
    FROM unnest($6::timestamp(3)[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::jsonb[])
         AS e(at, pseudonym, type, name, duration, app, os, props)
   WHERE EXISTS (SELECT 1 FROM batch)
  RETURNING 1
)
SELECT (SELECT count(*) FROM batch)::int AS "newBatch", (SELECT count(*) FROM stored)::int AS "stored"`;

export async function ingestTelemetryBatch(
  services: Services, sender: { licenceId: string; productCode?: string }, batch: TelemetryBatchBody, now: Date,
): Promise<IngestResult> {
  const metrics = telemetryMetrics(services);
  const stopTimer = metrics.ingestDuration.startTimer();
  try {
    return await ingest(services, sender, batch, now, metrics);
  } finally {
    stopTimer();
  }
}

async function ingest(
  services: Services, sender: { licenceId: string; productCode?: string }, batch: TelemetryBatchBody, now: Date,
  metrics: ReturnType<typeof telemetryMetrics>,
): Promise<IngestResult> {
  const facts = await senderFacts(services, sender.licenceId);
  if (!facts) throw new AppError('UNAUTHENTICATED', 'the licence of this token no longer exists');
  if (facts.status !== 'active') throw new AppError('LICENCE_NOT_USABLE', `the licence is ${facts.status}`);
  // The token's audience is the product the app asked about; events are filed under the licence's.
  if (sender.productCode !== undefined && sender.productCode.toUpperCase() !== facts.productCode.toUpperCase()) {
    throw new AppError('LICENCE_NOT_USABLE', 'the licence token was issued for another product');
  }

  const decision = collectionDecision(facts);
  if (!decision.collect) {
    countDropped(services, decision.reason, batch.events.length);
    metrics.batches.inc({ outcome: 'off' });
    return { accepted: 0, rejected: 0, duplicate: false, telemetry: 'off' };
  }

  const admission = admitEvents(batch.events, now);
  const rejected = admission.future + admission.stale;
  const rows = toRows(services, facts.holderId, admission.accepted, batch.app);
  await ensurePartitions(services, rows.months);

  const conn = await services.db.connect();
  let outcome: { newBatch: number; stored: number };
  try {
    [outcome] = await conn.query<{ newBatch: number; stored: number }>(INSERT_BATCH, [
      batch.batchId, admission.accepted.length, rejected, now.toISOString(), facts.productId,
      rows.at, rows.pseudonym, rows.type, rows.name, rows.durationMs, rows.appVersion, rows.osVersion, rows.props,
    ]);
  } finally {
    await conn.release();
  }
  if (outcome.newBatch === 0) {
    metrics.duplicates.inc();
    metrics.batches.inc({ outcome: 'duplicate' });
    return { accepted: 0, rejected: 0, duplicate: true, telemetry: 'on' };
  }
  metrics.batches.inc({ outcome: 'stored' });
  metrics.ingested.inc(outcome.stored);
  countDropped(services, 'future', admission.future);
  countDropped(services, 'stale', admission.stale);
  return { accepted: outcome.stored, rejected, duplicate: false, telemetry: 'on' };
}

/** Column arrays for unnest(): one bound parameter per column whatever the batch size. */
function toRows(services: Services, holderId: string, events: TelemetryEvent[], app: TelemetryBatchBody['app']) {
  const pseudonyms = new Map<string, string>();
  const rows = {
    months: [] as string[], at: [] as string[], pseudonym: [] as string[], type: [] as string[], name: [] as string[],
    durationMs: [] as (number | null)[], appVersion: [] as (string | null)[], osVersion: [] as (string | null)[], props: [] as (string | null)[],
  };
  for (const event of events) {
    const month = monthKey(event.at);
    let pseudonym = pseudonyms.get(month);
    if (!pseudonym) {
      pseudonym = telemetryPseudonym(services.config.secrets.telemetryKey, holderId, month);
      pseudonyms.set(month, pseudonym);
      rows.months.push(month);
    }
    rows.at.push(event.at.toISOString());
    rows.pseudonym.push(pseudonym);
    rows.type.push(event.type);
    rows.name.push(event.name);
    rows.durationMs.push(event.durationMs ?? null);
    rows.appVersion.push(event.appVersion ?? app?.version ?? null);
    rows.osVersion.push(event.osVersion ?? app?.os ?? null);
    rows.props.push(event.props ? JSON.stringify(event.props) : null);
  }
  return rows;
}
