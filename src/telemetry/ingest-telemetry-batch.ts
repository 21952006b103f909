import type { Services } from '../services';
import { AppError } from '../http/problem';
import { admitEvents, collectionDecision } from './event-admission';
import { monthKey } from './months';
import { telemetryPseudonym } from './pseudonym';
import { deviceNames } from './device-names';
import { createScrubber, scrubEvents } from './scrub-telemetry';
import { countDropped, telemetryMetrics } from './telemetry-metrics';
import { forgetLicenceIdentity, licenceIdentity, STORE_BATCH, type StoreOutcome } from './telemetry-batch-store';
import { ensurePartitions } from './telemetry-partitions';
import type { TelemetryBatchBody, TelemetryEvent } from './telemetry.schemas';

/**
 * Who sent a batch, from a verified licence token: the licence (never stored with events) and the
 * product the token was issued for.
 */
export interface TelemetrySender { licenceId: string; productCode?: string; /** the device the token names: its NT user and PC name are scrubbed */ deviceId?: string | null }

export interface IngestResult { accepted: number; rejected: number; duplicate: boolean; telemetry: 'on' | 'off' }

export async function ingestTelemetryBatch(
  services: Services, sender: TelemetrySender, batch: TelemetryBatchBody, now: Date,
): Promise<IngestResult> {
  const metrics = telemetryMetrics(services);
  const stopTimer = metrics.ingestDuration.startTimer();
  try {
    // Before anything is stored (and before a connection is taken): what the SDK should have scrubbed.
    const scrubbed = scrubEvents(batch.events, createScrubber(await deviceNames(services, sender.licenceId, sender.deviceId ?? null)));
    for (const [kind, n] of Object.entries(scrubbed)) metrics.scrubbed.inc({ kind }, n);
    return await ingest(services, sender, batch, now, metrics);
  } finally {
    stopTimer();
  }
}

async function ingest(
  services: Services, sender: TelemetrySender, batch: TelemetryBatchBody, now: Date,
  metrics: ReturnType<typeof telemetryMetrics>, retried = false,
): Promise<IngestResult> {
  const conn = await services.db.connect();
  let outcome: StoreOutcome;
  let admission: ReturnType<typeof admitEvents<TelemetryEvent>>;
  try {
    const identity = await licenceIdentity(services, conn, sender.licenceId);
    if (!identity) throw new AppError('UNAUTHENTICATED', 'the licence of this token no longer exists');
    // The token's audience is the product the app asked about; events are filed under the licence's.
    if (sender.productCode !== undefined && sender.productCode.toUpperCase() !== identity.productCode.toUpperCase()) {
      throw new AppError('LICENCE_NOT_USABLE', 'the licence token was issued for another product');
    }
    admission = admitEvents(batch.events, now);
    const rows = toRows(services, identity.holderId, admission.accepted);
    await ensurePartitions(services, rows.months, conn);
    [outcome] = await conn.query<StoreOutcome>(STORE_BATCH, [
      sender.licenceId, identity.holderId, batch.batchId, admission.accepted.length, admission.future + admission.stale, now.toISOString(),
      identity.productId, rows.pseudonyms, batch.app?.version ?? null, batch.app?.os ?? null,
      rows.at, rows.pseudonymIndex, rows.type, rows.name, rows.durationMs, rows.appVersion, rows.osVersion, rows.props,
    ]);
  } finally {
    await conn.release();
  }
  if (outcome.status === null) {
    // The cached holder is no longer the licence's (or the licence is gone): read it again, once.
    forgetLicenceIdentity(services, sender.licenceId);
    if (!retried) return ingest(services, sender, batch, now, metrics, true);
    throw new AppError('UNAUTHENTICATED', 'the licence of this token no longer exists');
  }
  if (outcome.status !== 'active') throw new AppError('LICENCE_NOT_USABLE', `the licence is ${outcome.status}`);
  const decision = collectionDecision({ ...outcome, policyTelemetry: outcome.policyTelemetry ?? 'off' });
  if (!decision.collect) {
    countDropped(services, decision.reason, batch.events.length);
    metrics.batches.inc({ outcome: 'off' });
    return { accepted: 0, rejected: 0, duplicate: false, telemetry: 'off' };
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
  return { accepted: outcome.stored, rejected: admission.future + admission.stale, duplicate: false, telemetry: 'on' };
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
