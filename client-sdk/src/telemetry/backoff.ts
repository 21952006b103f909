export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * Exponential backoff with "equal jitter": half the window is fixed (so retries never hammer),
 * half random (so a fleet of desktops coming back after an outage does not retry in lock-step).
 */
export function backoffDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const window = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(window / 2 + random() * (window / 2));
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or invalid. */
export function parseRetryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 24 * 3600_000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}
