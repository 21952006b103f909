/**
 * Asks /readyz every ~100 ms while a journey runs and keeps what it answered and how long each
 * answer took: a service people depend on must keep answering while it erases, exports or runs
 * retention (the embedded database has one connection: a long transaction would stall it).
 *
 * /healthz is asked at the same moment. It touches no database, so its time is what any request
 * costs the service right then (a machine short of CPU slows both alike); what /readyz takes beyond
 * it is time spent waiting for the database — the stall this poller exists to catch.
 */
export interface ReadinessReport {
  polls: number;
  /** slowest /readyz answer */
  maxMs: number;
  /** most time a /readyz answer took beyond the /healthz answer asked with it */
  maxWaitMs: number;
  /** status code (or "timeout"/"error") → how many times */
  answers: Record<string, number>;
  /** polls where /readyz took over 300 ms: when (ms after the start), how long, and /healthz meanwhile */
  slow: { atMs: number; readyzMs: number; healthzMs: number }[];
}

async function timed(url: string, timeoutMs: number): Promise<{ answer: string; ms: number }> {
  const started = performance.now();
  const answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    .then(async (r) => { await r.arrayBuffer(); return String(r.status); }, (e: Error) => (e.name === 'TimeoutError' ? 'timeout' : 'error'));
  return { answer, ms: performance.now() - started };
}

export function pollReadiness(baseUrl: string, intervalMs = 100, timeoutMs = 5_000) {
  const report: ReadinessReport = { polls: 0, maxMs: 0, maxWaitMs: 0, answers: {}, slow: [] };
  const origin = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const [ready, live] = await Promise.all([timed(`${baseUrl}/readyz`, timeoutMs), timed(`${baseUrl}/healthz`, timeoutMs)]);
      report.polls += 1;
      report.maxMs = Math.max(report.maxMs, Math.round(ready.ms));
      report.maxWaitMs = Math.max(report.maxWaitMs, Math.round(ready.ms - live.ms));
      report.answers[ready.answer] = (report.answers[ready.answer] ?? 0) + 1;
      if (ready.ms > 300) report.slow.push({ atMs: Math.round(started - origin), readyzMs: Math.round(ready.ms), healthzMs: Math.round(live.ms) });
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (performance.now() - started))));
    }
  })();
  return {
    report,
    async stop(): Promise<ReadinessReport> {
      running = false;
      await loop;
      return report;
    },
  };
}

/** Runs `work` while polling /readyz; returns the work's result and what /readyz answered meanwhile. */
export async function whilePolling<T>(baseUrl: string, work: () => Promise<T>): Promise<{ result: T; readiness: ReadinessReport }> {
  const poller = pollReadiness(baseUrl);
  try {
    const result = await work();
    return { result, readiness: await poller.stop() };
  } finally {
    await poller.stop();
  }
}
