import { exchangeJson, joinUrl, type FetchFunction } from '../http.js';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.js';
import type { DurableEventQueue, SealedBatch } from './event-queue.js';
import type { TelemetryEvent } from './events.js';
import type { TelemetryLevel } from './levels.js';

export interface BatchSenderOptions {
  queue: DurableEventQueue;
  serverUrl: string;
  fetch: FetchFunction;
  /** The current licence token (bearer credential), or null when there is none yet. */
  token: () => string | null;
  level: () => TelemetryLevel;
  now: () => Date;
  random?: () => number;
  requestTimeoutMs?: number;
  /** The server answered that this holder's telemetry is off (objection or restriction since the token was issued). */
  onServerOff?: () => void;
}

/** Why sending stopped: nothing left, waiting for a retry time, or waiting for a fresh token. */
export type SendOutcome = 'DRAINED' | 'RETRY_LATER' | 'PAUSED';

const ALLOWED_TYPES: Record<TelemetryLevel, ReadonlySet<TelemetryEvent['type']>> = {
  all: new Set(['session_start', 'session_end', 'feature', 'error']),
  errors: new Set(['error']),
  off: new Set(),
};

/**
 * Sends sealed batches oldest first, one at a time. A batch leaves the disk only when the server
 * has accepted it (202) or refused it for good (4xx other than 401/429); anything transient keeps
 * it, under the same batchId, for a retry after exponential backoff with jitter or Retry-After.
 */
export class BatchSender {
  private failedAttempts = 0;
  private notBefore = 0;
  private pausedForToken: string | null | undefined = undefined;
  private inFlight: Promise<SendOutcome> | null = null;
  droppedBatches = 0;

  constructor(private readonly options: BatchSenderOptions) {}

  /** Concurrent callers share one run, so a batch is never posted twice at once. */
  sendDue(): Promise<SendOutcome> {
    this.inFlight ??= this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async drain(): Promise<SendOutcome> {
    for (;;) {
      if (this.options.now().getTime() < this.notBefore) return 'RETRY_LATER';
      const token = this.options.token();
      // After a 401, wait for a different token (a new validation) rather than burn the queue.
      if (!token || token === this.pausedForToken) return 'PAUSED';
      const batch = this.options.queue.oldestBatch();
      if (!batch) return 'DRAINED';
      const outcome = await this.sendBatch(batch, token);
      if (outcome !== 'NEXT') return outcome;
    }
  }

  private async sendBatch(batch: SealedBatch, token: string): Promise<SendOutcome | 'NEXT'> {
    const allowed = ALLOWED_TYPES[this.options.level()];
    const events = this.options.queue.readBatch(batch).filter((event) => allowed.has(event.type));
    if (events.length === 0) {
      this.options.queue.remove(batch);
      return 'NEXT';
    }
    let status: number;
    let headers: Pick<Headers, 'get'> | null = null;
    let answer: unknown;
    try {
      const response = await exchangeJson(this.options.fetch, joinUrl(this.options.serverUrl, '/v1/telemetry'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ batchId: batch.batchId, events }),
      }, this.options.requestTimeoutMs ?? 10_000);
      status = response.status;
      headers = response.headers;
      answer = response.body;
    } catch {
      return this.retryLater(null);
    }
    if (status >= 200 && status < 300) {
      this.options.queue.remove(batch);
      this.failedAttempts = 0;
      // The server dropped the batch: the holder objected while this app was running. Stop now
      // rather than at the next start(). Unsigned, but it can only lower collection.
      if ((answer as { telemetry?: unknown } | undefined)?.telemetry === 'off') this.options.onServerOff?.();
      return 'NEXT';
    }
    if (status === 429) return this.retryLater(parseRetryAfterMs(headers?.get('retry-after') ?? null, this.options.now()));
    if (status >= 500 || status === 408) return this.retryLater(null);
    if (status === 401) {
      this.pausedForToken = token;
      return 'PAUSED';
    }
    // Any other 4xx: this batch will never be accepted; retrying it would block the queue for ever.
    this.options.queue.remove(batch);
    this.droppedBatches++;
    return 'NEXT';
  }

  private retryLater(retryAfterMs: number | null): SendOutcome {
    this.failedAttempts++;
    const delay = retryAfterMs ?? backoffDelayMs(this.failedAttempts, this.options.random);
    this.notBefore = this.options.now().getTime() + delay;
    return 'RETRY_LATER';
  }

  /** When the next attempt is allowed (ms since epoch); 0 when not backing off. */
  nextAttemptAt(): number {
    return this.notBefore;
  }
}
