/**
 * Delivery timings. The defaults follow Standard Webhooks' reference schedule (immediately, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27½ hours in all), so a receiver that is down
 * for a day still gets every event. Tests compress them through the configuration, not by
 * moving clocks inside this code.
 */
import type { Config } from '../config';

export interface WebhookSettings {
  /** waits between attempts after the first; attempts = 1 + length */
  retryScheduleMs: number[];
  /** an endpoint whose deliveries have failed without a success for this long is disabled */
  disableAfterMs: number;
  /** per attempt; a delivery is claimed for twice this long, so one in flight on a dead instance is retried after it */
  timeoutMs: number;
  /** how often the worker looks for work */
  pollMs: number;
  /** how often the scan for licence.expiring and privacy.request.due_soon runs */
  scanMs: number;
  /** how far ahead privacy.request.due_soon warns */
  dueSoonMs: number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retryScheduleMs: [5 * SECOND, 300 * SECOND, 1800 * SECOND, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
  disableAfterMs: 24 * HOUR,
  timeoutMs: 10 * SECOND,
  pollMs: 1000,
  scanMs: HOUR,
  dueSoonMs: 7 * 24 * HOUR,
};

export function webhookSettings(config: Config): WebhookSettings {
  return { ...DEFAULT_WEBHOOK_SETTINGS, ...config.webhooks };
}

/** When attempt number `attempts` (1-based, just failed) is retried, or null when it was the last. */
export function nextAttemptDelay(settings: WebhookSettings, attempts: number): number | null {
  return attempts <= settings.retryScheduleMs.length ? settings.retryScheduleMs[attempts - 1] : null;
}
