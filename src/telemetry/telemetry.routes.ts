import { AppError } from '../http/problem';
import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { getTelemetryStats } from './get-telemetry-stats';
import { ingestTelemetryBatch } from './ingest-telemetry-batch';
import { telemetrySender } from './licence-sender';
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, TELEMETRY_BATCH_EXAMPLE, TelemetryAccepted, TelemetryBatchBody, TelemetryStatsQuery, TelemetryStatsView } from './telemetry.schemas';

// An SDK seals a batch every 100 events or 5 s; a few hundred a minute per device is a runaway
// client (or a stolen token), not usage. 429 with Retry-After: the SDK keeps the batch and waits.
const BATCHES_PER_DEVICE = { points: 120, durationSeconds: 60 };

export const telemetryRoutes = [
  defineRoute({
    method: 'post', path: '/v1/telemetry', tag: 'telemetry', access: { kind: 'licence' }, body: TelemetryBatchBody, bodyLimit: MAX_BATCH_BYTES,
    summary: `Ingest a batch of at most ${MAX_EVENTS_PER_BATCH} usage events (256 kB), stored under a monthly pseudonym; `
      + 'a replayed batchId stores nothing; events in the future or older than 30 days are counted as rejected',
    response: { status: 202, description: 'accepted (or a duplicate, or telemetry off for this holder)', schema: TelemetryAccepted, example: { accepted: 3, rejected: 0, duplicate: false, telemetry: 'on' } },
    example: TELEMETRY_BATCH_EXAMPLE, rateLimited: true, problems: ['LICENCE_NOT_USABLE'],
    async handler({ services, req, body }) {
      const sender = telemetrySender(req, body.product);
      await services.rateLimits.consume('telemetry-device', BATCHES_PER_DEVICE, `${sender.licenceId}:${sender.deviceId ?? '-'}`);
      if (body.events.length > MAX_EVENTS_PER_BATCH) {
        throw new AppError('PAYLOAD_TOO_LARGE', `at most ${MAX_EVENTS_PER_BATCH} events per batch; split it`);
      }
      const result = await ingestTelemetryBatch(services, sender, body, services.now());
      return { status: 202, body: { accepted: result.accepted, rejected: result.rejected, duplicate: result.duplicate, telemetry: result.telemetry } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/telemetry/stats', tag: 'telemetry', access: orApiKey(staffOnly('support', 'admin', 'privacy_officer'), 'telemetry:stats'), query: TelemetryStatsQuery,
    response: { status: 200, description: 'the aggregates', schema: TelemetryStatsView },
    summary: 'Usage aggregates per feature, version, OS or day: events, active users (distinct monthly pseudonyms), '
      + 'durations p50/p90; cells of fewer than 5 users are suppressed; optional customerId',
    async handler({ services, query }) {
      return { body: await getTelemetryStats(services, query, services.now()) };
    },
  }),
];
