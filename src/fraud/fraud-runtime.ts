/**
 * Per-instance state of fraud evaluation, kept beside (not inside) the Services object:
 *
 * - a small in-process queue: evaluations run after the validation response is sent, in order
 *   per licence (so one licence's evidence grows in sequence), bounded so a flood drops
 *   evaluations rather than memory;
 * - a memory per licence of what was persisted recently, so a licence validating again and
 *   again from the same machine costs no query at all, and of recent networks per device for
 *   the overlap signal (compared in memory, never stored beyond its keyed hash).
 *
 * Several instances each keep their own memory; the database stays the source of truth.
 */
import type { Services } from '../services';
import { fraudMetrics } from './fraud-metrics';
import type { NetworkSighting } from './fraud-signals';

const MAX_PENDING = 10_000;
const MAX_LICENCES = 20_000;

export interface LicenceMemory {
  /** "kind:value" → when it was last written to fraud_observations */
  persisted: Map<string, number>;
  /** deviceId → recent networks, newest last */
  networks: Map<string, NetworkSighting[]>;
  /** signal + evidence keys → when it was last recorded into an alert */
  recorded: Map<string, number>;
}

export class FraudRuntime {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly memories = new Map<string, LicenceMemory>();
  private pending = 0;
  private idle: (() => void)[] = [];

  /** Runs `task` after the current request, behind earlier tasks of the same licence. False when full. */
  enqueue(licenceId: string, task: () => Promise<void>, onError: (error: unknown) => void): boolean {
    if (this.pending >= MAX_PENDING) return false;
    this.pending += 1;
    const previous = this.chains.get(licenceId) ?? Promise.resolve();
    const next = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch(onError)
      .finally(() => {
        this.pending -= 1;
        if (this.chains.get(licenceId) === next) this.chains.delete(licenceId);
        if (this.pending === 0) for (const wake of this.idle.splice(0)) wake();
      });
    this.chains.set(licenceId, next);
    return true;
  }

  /** Resolves once every queued evaluation has finished (tests, graceful shutdown). */
  drained(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  memory(licenceId: string): LicenceMemory {
    let memory = this.memories.get(licenceId);
    if (memory) {
      // Re-insert: Map order is recency, so the oldest licence is evicted first.
      this.memories.delete(licenceId);
    } else {
      memory = { persisted: new Map(), networks: new Map(), recorded: new Map() };
      if (this.memories.size >= MAX_LICENCES) this.memories.delete(this.memories.keys().next().value as string);
    }
    this.memories.set(licenceId, memory);
    return memory;
  }

  /** Forgets a licence (its alerts were decided, or its holder erased): the next validation re-reads the database. */
  forget(licenceId: string): void {
    this.memories.delete(licenceId);
  }
}

const runtimes = new WeakMap<Services, FraudRuntime>();

export function fraudRuntime(services: Services): FraudRuntime {
  let runtime = runtimes.get(services);
  if (!runtime) {
    runtime = new FraudRuntime();
    runtimes.set(services, runtime);
    // Registered with the first use, so /metrics shows the open-alerts gauge from the first validation on.
    fraudMetrics(services);
  }
  return runtime;
}

/** Waits for every fraud evaluation queued so far (tests assert after this, never after a sleep). */
export function drainFraudEvaluations(services: Services): Promise<void> {
  return fraudRuntime(services).drained();
}
