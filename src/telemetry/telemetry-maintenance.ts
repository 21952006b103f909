/**
 * The service's telemetry housekeeping: partitions for this month and the next two, and the
 * roll-up of settled days, at start-up and then daily. Expiry is not here: it belongs to the
 * retention run (docs/architecture.md §7), which calls expireTelemetry and keeps a receipt.
 */
import { loggableError } from '../logger';
import type { Services } from '../services';
import { rollupSettledDays } from './rollup-telemetry';
import { createPartitionsAhead } from './telemetry-partitions';

const DAY_MS = 86_400_000;

export async function runTelemetryMaintenance(services: Services, now: Date) {
  const created = await createPartitionsAhead(services, now, 2);
  const rolledUp = await rollupSettledDays(services, now);
  return { partitionsCreated: created, rolledUpDays: rolledUp.days };
}

/** Starts the daily maintenance; the timer does not keep the process alive. Returns a stop function. */
export function startTelemetryMaintenance(services: Services, intervalMs = DAY_MS): () => void {
  const run = () => {
    runTelemetryMaintenance(services, services.now())
      .then((result) => services.logger.info(result, 'telemetry maintenance done'))
      .catch((error: unknown) => services.logger.error({ error: loggableError(error) }, 'telemetry maintenance failed; retrying at the next run'));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
