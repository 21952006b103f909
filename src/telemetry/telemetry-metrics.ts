import type { Services } from '../services';
import type { TelemetryDropReason } from './event-admission';

/** The telemetry metrics (docs/architecture.md §9), registered on first use in the service's registry. */
export function telemetryMetrics(services: Services) {
  const m = services.metrics;
  return {
    ingested: m.counter('nomina_telemetry_events_ingested_total', 'Telemetry events stored'),
    batches: m.counter('nomina_telemetry_batches_total', 'Telemetry batches received, by outcome', ['outcome']),
    duplicates: m.counter('nomina_telemetry_duplicates_total', 'Telemetry batches received again (replays), stored once'),
    scrubbed: m.counter<'kind'>('nomina_telemetry_scrubbed_total', 'Personal values replaced in telemetry by the server (the SDK should have scrubbed them), by kind', ['kind']),
    dropped: m.counter<'reason'>('nomina_telemetry_dropped_total', 'Telemetry events not stored, by reason', ['reason']),
    ingestDuration: m.histogram('nomina_telemetry_ingest_duration_seconds', 'Time to store one telemetry batch', [],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
  };
}

export function countDropped(services: Services, reason: TelemetryDropReason, events: number): void {
  if (events > 0) telemetryMetrics(services).dropped.inc({ reason }, events);
}
