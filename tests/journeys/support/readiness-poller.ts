/**
 * Asks /readyz every ~100 ms while a journey runs and keeps what it answered and how long each
 * answer took: a service people depend on must keep answering while it erases, exports or runs
 * retention (the embedded database has one connection: a long transaction would stall it).
 */
export interface ReadinessReport {
  polls: number;
  maxMs: number;
  /** status code (or "timeout"/"error") → how many times */
  answers: Record<string, number>;
  /** polls slower than 300 ms: when (ms after the start) and how long they took */
  slow: { atMs: number; tookMs: number }[];
}

export function pollReadiness(baseUrl: string, intervalMs = 100, timeoutMs = 5_000) {
  const report: ReadinessReport = { polls: 0, maxMs: 0, answers: {}, slow: [] };
  const origin = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const answer = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs) })
        .then(async (r) => { await r.arrayBuffer(); return String(r.status); }, (e: Error) => (e.name === 'TimeoutError' ? 'timeout' : 'error'));
      const took = performance.now() - started;
      report.polls += 1;
      report.maxMs = Math.max(report.maxMs, Math.round(took));
      if (took > 300) report.slow.push({ atMs: Math.round(started - origin), tookMs: Math.round(took) });
      report.answers[answer] = (report.answers[answer] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - took)));
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
