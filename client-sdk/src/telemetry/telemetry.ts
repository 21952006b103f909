import path from 'node:path';
import type { FetchFunction } from '../http.js';
import { BatchSender, type SendOutcome } from './batch-sender.js';
import { DurableEventQueue } from './event-queue.js';
import { mostPrivateLevel, type TelemetryLevel } from './levels.js';
import { TelemetryRecorder } from './recorder.js';
import type { Scrubber } from './scrub.js';

export interface TelemetryOptions {
  storageDir: string;
  serverUrl: string;
  fetch: FetchFunction;
  now: () => Date;
  scrub: Scrubber;
  appVersion: string;
  osVersion: string;
  /** The app's (user's) choice. */
  appLevel: TelemetryLevel;
  /** The administrator's ceiling, if any. */
  adminLock: TelemetryLevel | null;
  maxQueueBytes?: number;
  /** How often queued events are sealed and sent in the background. */
  flushIntervalMs?: number;
  random?: () => number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;

/** The telemetry pipeline: level → recorder → durable queue → sender, on a background timer. */
export class Telemetry {
  readonly queue: DurableEventQueue;
  readonly recorder: TelemetryRecorder;
  readonly sender: BatchSender;
  private serverSaysOff = false;
  private token: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sessionStartedAt: number | null = null;

  constructor(private readonly options: TelemetryOptions) {
    const level = () => this.level();
    this.queue = new DurableEventQueue({ directory: path.join(options.storageDir, 'telemetry'), now: options.now, maxQueueBytes: options.maxQueueBytes });
    this.recorder = new TelemetryRecorder({ queue: this.queue, scrub: options.scrub, level, now: options.now, appVersion: options.appVersion, osVersion: options.osVersion });
    this.sender = new BatchSender({
      queue: this.queue, serverUrl: options.serverUrl, fetch: options.fetch, token: () => this.token, level, now: options.now, random: options.random,
      onServerOff: () => this.obeyServer('off'),
    });
    if (this.level() === 'off') this.queue.clear();
  }

  /** Every party may lower the level; none may raise what another lowered. */
  level(): TelemetryLevel {
    return mostPrivateLevel(this.options.appLevel, this.options.adminLock, this.serverSaysOff ? 'off' : null);
  }

  useToken(token: string | null): void {
    this.token = token;
  }

  /** The server's `tel: "off"` (the subject objected or is restricted): stop and forget the queue. */
  obeyServer(setting: 'on' | 'off'): void {
    this.serverSaysOff = setting === 'off';
    if (this.serverSaysOff) this.queue.clear();
  }

  beginSession(props: Record<string, unknown>): void {
    this.sessionStartedAt = this.options.now().getTime();
    this.recorder.session('session_start', undefined, props);
  }

  /** Synchronous so it can run in process.on('exit'); idempotent. */
  endSession(): void {
    if (this.sessionStartedAt === null) return;
    this.recorder.session('session_end', this.options.now().getTime() - this.sessionStartedAt);
    this.sessionStartedAt = null;
    this.queue.seal();
  }

  startBackgroundFlush(): void {
    if (this.timer || this.level() === 'off') return;
    const interval = this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.timer = setInterval(() => void this.flush(interval), interval);
    this.timer.unref(); // telemetry must never keep the app alive
  }

  /** Seals what is pending (if old enough) and sends what is due. Never rejects. */
  async flush(sealOlderThanMs = 0): Promise<SendOutcome | 'OFF'> {
    if (this.level() === 'off') return 'OFF';
    try {
      this.queue.sealIfOlderThan(sealOlderThanMs);
      return await this.sender.sendDue();
    } catch {
      return 'RETRY_LATER';
    }
  }

  async shutdown(timeoutMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.endSession();
    this.queue.seal();
    let timeout: NodeJS.Timeout | undefined;
    // Whatever is not sent in time stays on disk and goes with the next start.
    await Promise.race([this.flush(), new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timeout);
  }
}
