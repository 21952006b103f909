/**
 * Groups concurrent calls into one statement: a call is sent at once while fewer than
 * `maxInFlight` statements are running; otherwise it waits for the next statement, which takes
 * every call queued meanwhile (at most `maxBatch`). An idle service pays no delay; a busy one
 * pays one round trip, one statement and one plan for many calls. If a statement fails, every
 * call in its batch fails with it.
 *
 * `conflictKey` (optional): calls with the same key never share a statement — the later one
 * waits for the next — for statements such as INSERT … ON CONFLICT DO UPDATE, which may not touch
 * one row twice.
 *
 * `gatherTurn` (optional): a free slot does not send the call at once but at the end of the
 * event loop's turn (setImmediate), with every call made meanwhile. The calls of one turn are
 * often many: the requests read from the network in one poll, or every validation resumed by one
 * grouped read, each of which then writes its event. Sent at once, the first one or two calls of
 * such a turn each took a statement of their own and the rest waited for a round trip.
 */
export class StatementBatcher<I, O> {
  private queue: { input: I; resolve(output: O): void; reject(error: unknown): void }[] = [];
  private inFlight = 0;
  /** a flush is already scheduled for the end of this turn (gatherTurn) */
  private gathering = false;

  constructor(
    private readonly runBatch: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
    private readonly conflictKey?: (input: I) => string,
    private readonly gatherTurn = false,
  ) {}

  call(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.inFlight >= this.maxInFlight) return; // the next statement to finish takes it
      if (!this.gatherTurn) void this.flush();
      else if (!this.gathering) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          if (this.queue.length > 0 && this.inFlight < this.maxInFlight) void this.flush();
        });
      }
    });
  }

  private take(): typeof this.queue {
    if (!this.conflictKey) return this.queue.splice(0, this.maxBatch);
    const keys = new Set<string>();
    const batch: typeof this.queue = [];
    const rest: typeof this.queue = [];
    for (const pending of this.queue) {
      const key = this.conflictKey(pending.input);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async flush(): Promise<void> {
    this.inFlight += 1;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          const outputs = await this.runBatch(batch.map((p) => p.input));
          batch.forEach((p, i) => p.resolve(outputs[i]));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}
