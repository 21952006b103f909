/**
 * One PostgreSQL round trip, timed alone: `node round-trip-probe.js '<job>'` sends the floor's
 * prepared lookup (a digest that matches nothing) evenly paced at `rate` per second for `seconds`
 * on a pool of `connections`, no HTTP, and prints {p50, p99, max} in ms as JSON. bench:validate
 * runs it on the servers' core at validate's half rate: a validation makes two such round trips
 * one after the other (bench/README.md, sixth pass), so this is the tail each of them brings.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

interface Job { databaseUrl: string; rate: number; seconds: number; connections: number }

const job = JSON.parse(process.argv[2]) as Job;
const LOOKUP = 'SELECT id, status FROM licences WHERE "keyDigest" = $1';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: job.databaseUrl, max: job.connections });
  // Every connection opened and the statement prepared on it before timing starts.
  const digest = () => randomBytes(32).toString('base64url');
  await Promise.all(Array.from({ length: job.connections }, () => pool.query({ name: 'probe', text: LOOKUP, values: [digest()] })));
  const latencies: number[] = [];
  const interval = 1000 / job.rate;
  const start = performance.now();
  let sent = 0;
  let pending = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - start >= job.seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      for (; sent * interval <= now - start; sent++) {
        // Timed from the send, as paced-load.ts times a request sent on a free connection.
        const sentAt = performance.now();
        pending += 1;
        void pool.query({ name: 'probe', text: LOOKUP, values: [digest()] }).then(() => { latencies.push(performance.now() - sentAt); pending -= 1; });
      }
    }, 1);
  });
  while (pending > 0) await new Promise((r) => setTimeout(r, 5));
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  process.stdout.write(JSON.stringify({ total: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
