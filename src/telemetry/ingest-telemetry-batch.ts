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

// Read on every batch, so an objection or a suspension stops collection at once, not after a
// cache expires. Raw SQL on the connection that then inserts: one pool checkout per batch.
const SENDER_FACTS = `
SELECT l.status::text AS status, l."productId"::text AS "productId", pr.code AS "productCode", l."holderId"::text AS "holderId",
       c."telemetryObjectedAt", c."restrictedAt", p.telemetry::text AS "policyTelemetry"
  FROM licences l JOIN contacts c ON c.id = l."holderId" JOIN policies p ON p.id = l."policyId" JOIN products pr ON pr.id = l."productId"
 WHERE l.id = $1::uuid`;

// The batch row is inserted first with ON CONFLICT DO NOTHING, and the events only if it was new,
// in one statement (one transaction): concurrent replays of a batch wait on the batch key and
// then find it taken, so a batch is stored exactly once.
// Each batch sends its (one or two) pseudonyms and versions once, and per event only an index
// and overrides: half the bytes of sending every row whole, which is what loopback I/O costs.
const INSERT_BATCH = `
WITH batch AS (
  INSERT INTO "telemetry_batches" ("batchId", "accepted", "rejected", "receivedAt")
  VALUES ($1::uuid, $2::int, $3::int, $4::timestamp(3))
  ON CONFLICT ("batchId") DO NOTHING RETURNING "batchId"
), stored AS (
  INSERT INTO "telemetry_events" ("at", "pseudonym", "productId", "type", "name", "durationMs", "appVersion", "osVersion", "props", "receivedAt")
  SELECT e.at, ($6::text[])[e.p], $5::uuid, e.type::"TelemetryEventType", e.name, e.duration,
         coalesce(e.app, $7::text), coalesce(e.os, $8::text), e.props, $4::timestamp(3)
    FROM unnest($9::timestamp(3)[], $10::int[], $11::text[], $12::text[], $13::int[], $14::text[], $15::text[], $16::jsonb[])
         AS e(at, p, type, name, duration, app, os, props)
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
  const conn = await services.db.connect();
  try {
    const [facts] = await conn.query<SenderFacts>(SENDER_FACTS, [sender.licenceId]);
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
    const rows = toRows(services, facts.holderId, admission.accepted);
    await ensurePartitions(services, rows.months, conn);
    const [outcome] = await conn.query<{ newBatch: number; stored: number }>(INSERT_BATCH, [
      batch.batchId, admission.accepted.length, rejected, now.toISOString(), facts.productId,
      rows.pseudonyms, batch.app?.version ?? null, batch.app?.os ?? null,
      rows.at, rows.pseudonymIndex, rows.type, rows.name, rows.durationMs, rows.appVersion, rows.osVersion, rows.props,
    ]);
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
  } finally {
    await conn.release();
  }
}

/** Column arrays for unnest(): one bound parameter per column whatever the batch size. */
function toRows(services: Services, holderId: string, events: TelemetryEvent[]) {
  const index = new Map<string, number>();
  const rows = {
    months: [] as string[], pseudonyms: [] as string[],
    at: [] as string[], pseudonymIndex: [] as number[], type: [] as string[], name: [] as string[],
    durationMs: [] as (number | null)[], appVersion: [] as (string | null)[], osVersion: [] as (string | null)[], props: [] as (string | null)[],
  };
  for (const event of events) {
    const month = monthKey(event.at);
    let i = index.get(month);
    if (i === undefined) {
      rows.months.push(month);
      rows.pseudonyms.push(telemetryPseudonym(services.config.secrets.telemetryKey, holderId, month));
      i = rows.pseudonyms.length; // SQL arrays count from 1
      index.set(month, i);
    }
    rows.at.push(event.at.toISOString());
    rows.pseudonymIndex.push(i);
    rows.type.push(event.type);
    rows.name.push(event.name);
    rows.durationMs.push(event.durationMs ?? null);
    rows.appVersion.push(event.appVersion ?? null);
    rows.osVersion.push(event.osVersion ?? null);
    rows.props.push(event.props ? JSON.stringify(event.props) : null);
  }
  return rows;
}
