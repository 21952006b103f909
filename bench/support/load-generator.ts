/**
 * Runs autocannon in its own process, so the load generator does not share the event loop of
 * the servers it measures. Reads a JSON job from argv[2], prints autocannon's result as JSON.
 * Each request takes the next pre-built body and client address from the job's request file.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** `amount`: send exactly this many requests (then `seconds` is ignored) */
interface Job { url: string; path: string; requestsFile: string; seconds: number; connections: number; overallRate?: number; amount?: number }

const job = JSON.parse(process.argv[2]) as Job;
const requests = readFileSync(job.requestsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { body: string; ip: string });
let next = 0;

/**
 * Honest clients send their clock's time: each request's clientTime is set to now as it is sent
 * (same length, so Content-Length holds). A time fixed when the file was written drifts further
 * from the server's with every minute the benchmark runs, until every validation fires the
 * clock-drift fraud signal — a storm of alerts, not the honest traffic measured here.
 */
const CLIENT_TIME = '"clientTime":"';
function withClientTimeNow(body: string): string {
  const at = body.indexOf(CLIENT_TIME) + CLIENT_TIME.length;
  return at < CLIENT_TIME.length ? body : body.slice(0, at) + new Date().toISOString() + body.slice(at + 24);
}

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  ...(job.amount ? { amount: job.amount } : { duration: job.seconds }),
  overallRate: job.overallRate,
  requests: [{
    method: 'POST',
    path: job.path,
    setupRequest: (request) => {
      const r = requests[next++ % requests.length];
      return { ...request, body: withClientTimeNow(r.body), headers: { 'content-type': 'application/json', 'x-forwarded-for': r.ip } };
    },
  }],
}, (error, result) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({
    rps: result.requests.average, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99,
    non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  }));
});
instance.on('error', () => {});
