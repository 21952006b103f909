/**
 * Per-instance state of fraud evaluation, kept beside (not inside) the Services object:
 *
 * - an evaluation queue bounded by construction (EvaluationQueue below): observations of one
 *   licence waiting together are coalesced into one evaluation, a licence is evaluated at most
 *   once per EVALUATION_INTERVAL_MS (5 s), at most EVALUATION_CONCURRENCY evaluations run at a time
 *   (their statements grouped, fraud-statements.ts, so fraud never holds more than 8 database
 *   connections), and when more licences
 *   wait than MAX_WAITING_LICENCES the newcomer is shed — counted and logged, never queued
 *   without limit. A storm therefore costs at most one evaluation per licence per interval, and
 *   the backlog is gone moments after the load stops;
 * - a memory per licence of what was persisted recently, so a licence validating again and
 *   again from the same machine costs no query at all, and of recent networks per device for
 *   the overlap signal (compared in memory, never stored beyond its keyed hash).
 *
 * Several instances each keep their own memory; the database stays the source of truth.
 */
import { sqlStateOf } from '../logger';
import type { Services } from '../services';
import { fraudMetrics } from './fraud-metrics';
import type { NetworkSighting } from './fraud-signals';

const MAX_LICENCES = 20_000;
/** a licence is evaluated at most once per this interval; what arrives meanwhile waits and is coalesced */
export const EVALUATION_INTERVAL_MS = 5_000;
/**
 * evaluations running at once. Their statements are grouped across licences (fraud-statements.ts:
 * one of each kind in flight, the ungrouped ones through a gate of two), so fraud holds at most
 * 8 connections of the service's pool (10) however many run — validation has a pool of its own.
 * Many at once is what makes the groups large: a storm's first run (every licence a first
 * sighting, three statements each, and an alert to open) goes through in few statements.
 */
export const EVALUATION_CONCURRENCY = 32;
/** licences waiting for evaluation beyond which a new one is shed */
export const MAX_WAITING_LICENCES = 5_000;
/** observations kept per waiting licence (the latest); older ones are counted as coalesced away */
export const MAX_OBSERVATIONS_PER_LICENCE = 32;
const SHED_LOG_EVERY_MS = 10_000;

export interface LicenceMemory {
  /** "kind:value" → when it was last written to fraud_observations */
  persisted: Map<string, number>;
  /** deviceId → recent networks, newest last */
  networks: Map<string, NetworkSighting[]>;
  /** signal + evidence keys → when it was last recorded into an alert */
  recorded: Map<string, number>;
  /** signals with an alert this instance saw open (a hint: appending tells for sure) */
  open: Set<string>;
}

interface Waiting<T> { items: T[]; queuedAt: number; evaluate: (items: T[]) => Promise<void> }

export interface QueueEvents {
  failed(licenceId: string, error: unknown): void;
  shed(): void;
  coalesced(): void;
}

export interface QueueOptions { intervalMs: number; concurrency: number; maxWaiting: number; maxItems: number }

export type EnqueueOutcome = 'queued' | 'coalesced' | 'shed';

/**
 * Work per licence, bounded: `due` holds licences that may be evaluated now (oldest first),
 * `later` those evaluated less than an interval ago (promoted by a sweep every quarter interval).
 * A licence is in at most one of them, and evaluated by at most one worker at a time.
 */
export class EvaluationQueue<T> {
  private readonly due = new Map<string, Waiting<T>>();
  private readonly later = new Map<string, Waiting<T>>();
  private readonly running = new Set<string>();
  /** licence → when its last evaluation started; oldest first (re-inserted on each start) */
  private readonly lastStarted = new Map<string, number>();
  private active = 0;
  private flushing = 0;
  private pumpScheduled = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private idle: (() => void)[] = [];

  constructor(private readonly options: QueueOptions, private readonly events: QueueEvents, private readonly clock: () => number = Date.now) {}

  /** Queues `item` for `licenceId`'s next evaluation. Never waits, never throws. */
  enqueue(licenceId: string, item: T, evaluate: (items: T[]) => Promise<void>): EnqueueOutcome {
    const waiting = this.due.get(licenceId) ?? this.later.get(licenceId);
    if (waiting) {
      waiting.items.push(item);
      waiting.evaluate = evaluate;
      if (waiting.items.length > this.options.maxItems) waiting.items.shift();
      this.events.coalesced();
      return 'coalesced';
    }
    if (this.backlog >= this.options.maxWaiting) {
      this.events.shed();
      return 'shed';
    }
    const now = this.clock();
    const entry = { items: [item], queuedAt: now, evaluate };
    const last = this.lastStarted.get(licenceId);
    if (this.flushing === 0 && (this.running.has(licenceId) || (last !== undefined && now - last < this.options.intervalMs))) {
      this.later.set(licenceId, entry);
      this.armSweep();
    } else {
      this.due.set(licenceId, entry);
      this.schedulePump();
    }
    return 'queued';
  }

  /** licences that may wait at once */
  get bound(): number {
    return this.options.maxWaiting;
  }

  /** licences waiting for evaluation */
  get backlog(): number {
    return this.due.size + this.later.size;
  }

  /** seconds the longest-waiting licence has waited (0 when none waits) */
  oldestAgeSeconds(): number {
    const firsts = [this.due.values().next().value, this.later.values().next().value].filter((w): w is Waiting<T> => w !== undefined);
    if (firsts.length === 0) return 0;
    return Math.max(0, (this.clock() - Math.min(...firsts.map((w) => w.queuedAt))) / 1000);
  }

  /** Resolves once everything queued so far is evaluated, ignoring the interval (tests, graceful shutdown). */
  drained(): Promise<void> {
    if (this.backlog === 0 && this.active === 0) return Promise.resolve();
    this.flushing += 1;
    this.promote(true);
    return new Promise<void>((resolve) => this.idle.push(resolve)).finally(() => { this.flushing -= 1; });
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // After the current request: evaluation never runs before the validation has answered.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (const [licenceId, waiting] of this.due) {
      if (this.active >= this.options.concurrency) return;
      this.due.delete(licenceId);
      if (this.running.has(licenceId)) {
        this.later.set(licenceId, waiting); // its evaluation is still running: next round
        this.armSweep();
        continue;
      }
      this.start(licenceId, waiting);
    }
    this.wakeIfIdle();
  }

  private start(licenceId: string, waiting: Waiting<T>): void {
    const now = this.clock();
    this.active += 1;
    this.running.add(licenceId);
    this.lastStarted.delete(licenceId);
    this.lastStarted.set(licenceId, now);
    // Forget start times older than the interval: they no longer hold anything back.
    for (const [id, at] of this.lastStarted) {
      if (now - at < this.options.intervalMs || this.lastStarted.size <= 1) break;
      this.lastStarted.delete(id);
    }
    let evaluation: Promise<void>;
    try {
      evaluation = waiting.evaluate(waiting.items);
    } catch (error) {
      evaluation = Promise.reject(error);
    }
    evaluation.catch((error: unknown) => this.events.failed(licenceId, error)).finally(() => {
      this.active -= 1;
      this.running.delete(licenceId);
      if (this.flushing > 0) this.promote(true);
      this.pump();
    });
  }

  /** Moves licences whose interval has passed (every one when flushing) from `later` to `due`. */
  private promote(all: boolean): void {
    const now = this.clock();
    for (const [licenceId, waiting] of this.later) {
      if (!all) {
        if (this.running.has(licenceId)) continue;
        const last = this.lastStarted.get(licenceId);
        if (last !== undefined && now - last < this.options.intervalMs) continue;
      }
      this.later.delete(licenceId);
      this.due.set(licenceId, waiting);
    }
    if (this.due.size > 0) this.schedulePump();
  }

  private armSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.promote(false);
      if (this.later.size > 0) this.armSweep();
    }, Math.max(10, this.options.intervalMs / 4));
    this.sweepTimer.unref();
  }

  private wakeIfIdle(): void {
    if (this.active === 0 && this.backlog === 0) for (const wake of this.idle.splice(0)) wake();
  }
}

export class FraudRuntime {
  private readonly memories = new Map<string, LicenceMemory>();

  constructor(readonly queue: EvaluationQueue<unknown>) {}

  memory(licenceId: string): LicenceMemory {
    let memory = this.memories.get(licenceId);
    if (memory) {
      // Re-insert: Map order is recency, so the oldest licence is evicted first.
      this.memories.delete(licenceId);
    } else {
      memory = { persisted: new Map(), networks: new Map(), recorded: new Map(), open: new Set() };
      if (this.memories.size >= MAX_LICENCES) this.memories.delete(this.memories.keys().next().value as string);
    }
    this.memories.set(licenceId, memory);
    return memory;
  }

  /** Forgets a licence (its alerts were decided, or its holder erased): the next validation re-reads the database. */
  forget(licenceId: string): void {
    this.memories.delete(licenceId);
  }

  drained(): Promise<void> {
    return this.queue.drained();
  }
}

const runtimes = new WeakMap<Services, FraudRuntime>();

/**
 * The error's name, its code (Prisma's P…, pg's) and, for database errors, the SQLSTATE — never
 * its message (it may quote values). `errorCode`, not `code`: the logger redacts every field
 * named `code` (verification codes), which hid these codes as "[redacted]".
 */
export function errorCodeOf(error: unknown): { err: string; errorCode?: string; sqlState?: string } {
  const e = error as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  const errorCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const sqlState = sqlStateOf(error);
  return { err: error instanceof Error ? error.name : 'unknown', ...(errorCode ? { errorCode } : {}), ...(sqlState ? { sqlState } : {}) };
}

function createRuntime(services: Services, overrides: Partial<QueueOptions> = {}): FraudRuntime {
  const metrics = fraudMetrics(services);
  let shedSinceLog = 0;
  let lastShedLog = 0;
  const queue = new EvaluationQueue<unknown>(
    { intervalMs: EVALUATION_INTERVAL_MS, concurrency: EVALUATION_CONCURRENCY, maxWaiting: MAX_WAITING_LICENCES, maxItems: MAX_OBSERVATIONS_PER_LICENCE, ...overrides },
    {
      failed(licenceId, error) {
        metrics.evaluationErrors.inc();
        services.logger.warn({ ...errorCodeOf(error), licenceId }, 'fraud evaluation failed');
      },
      shed() {
        metrics.shed.inc();
        shedSinceLog += 1;
        const now = Date.now();
        // One line per interval, with counts only: a storm must not also flood the log.
        if (now - lastShedLog >= SHED_LOG_EVERY_MS) {
          services.logger.warn({ shed: shedSinceLog, waitingLicences: queue.backlog, bound: queue.bound }, 'fraud evaluations shed: the evaluation backlog is at its bound');
          shedSinceLog = 0;
          lastShedLog = now;
        }
      },
      coalesced() {
        metrics.coalesced.inc();
      },
    },
  );
  services.metrics.gauge('nomina_fraud_evaluation_backlog', 'Licences waiting for fraud evaluation', [], async function collect() {
    this.set(queue.backlog);
  });
  services.metrics.gauge('nomina_fraud_evaluation_backlog_oldest_seconds', 'How long the longest-waiting licence has waited for fraud evaluation', [], async function collect() {
    this.set(queue.oldestAgeSeconds());
  });
  return new FraudRuntime(queue);
}

export function fraudRuntime(services: Services): FraudRuntime {
  let runtime = runtimes.get(services);
  if (!runtime) {
    // Registered with the first use, so /metrics shows the fraud gauges from the first validation on.
    runtime = createRuntime(services);
    runtimes.set(services, runtime);
  }
  return runtime;
}

/** Sets up this instance's runtime with other bounds than the defaults (tests); before its first use only. */
export function configureFraudRuntime(services: Services, overrides: Partial<QueueOptions>): FraudRuntime {
  if (runtimes.has(services)) throw new Error('the fraud runtime of this instance is already in use');
  const runtime = createRuntime(services, overrides);
  runtimes.set(services, runtime);
  return runtime;
}

/** Waits for every fraud evaluation queued so far (tests assert after this, never after a sleep). */
export function drainFraudEvaluations(services: Services): Promise<void> {
  return fraudRuntime(services).drained();
}
