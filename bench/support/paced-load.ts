/**
 * An open-loop load at an even rate, in its own process: requests are due at regular intervals
 * (every 1/rate s) and sent on keep-alive connections as they fall due; prints the same JSON as
 * load-generator.ts.
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a quota per second and
 * lets it send as fast as it can until the quota is used, then pause until the next second. "Half
 * the maximum rate" is then full speed for half of each second, and its latencies are those of a
 * saturated server (≈ connections / throughput). This measures latency at half load.
 *
 * A request is timed from the moment it was sent; if it had to wait for a free connection, from
 * the moment it was due (so a slow server cannot hide its backlog — no coordinated omission).
 *
 * The first `warmupSeconds` (default 1) run at the same rate but are not counted: new connections,
 * the server's first requests on them. The output also says *when* the slow requests (> 10 ms)
 * happened — per second of the run, and the five slowest with their time — so one stall (a GC
 * pause, PostgreSQL's checkpoint or vacuum, another process on the core) can be told from a
 * server that is slow throughout: a single stall of d ms at r req/s delays ≈ d·r/1000 requests,
 * which is more than 1 % of a 10 s run as soon as d > 100 ms, and then sets the p99 by itself.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

interface Job { url: string; path: string; requestsFile: string; seconds: number; connections: number; rate: number; warmupSeconds?: number }

const job = JSON.parse(process.argv[2]) as Job;
const { hostname, port } = new URL(job.url);
const requests = readFileSync(job.requestsFile, 'utf8').trim().split('\n').map((line) => {
  const { body, ip } = JSON.parse(line) as { body: string; ip: string };
  const bytes = Buffer.from(`POST ${job.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n`
    + `X-Forwarded-For: ${ip}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const marker = bytes.indexOf('"clientTime":"');
  return { bytes, clientTimeAt: marker < 0 ? -1 : marker + '"clientTime":"'.length };
});

interface Connection { socket: net.Socket; busy: boolean; started: number; buffer: Buffer }
const latencies: number[] = [];
const slow: { at: number; ms: number }[] = [];
const warmupMs = (job.warmupSeconds ?? 1) * 1000;
let measureFrom = Infinity;
let sent = 0;
let non2xx = 0;
let errors = 0;
let backlog: number[] = [];
const idle: Connection[] = [];

function send(connection: Connection, timedFrom: number): void {
  connection.busy = true;
  connection.started = timedFrom;
  const request = requests[sent++ % requests.length];
  // The client's clock as it sends (load-generator.ts, withClientTimeNow: why).
  if (request.clientTimeAt >= 0) request.bytes.write(new Date().toISOString(), request.clientTimeAt, 'latin1');
  connection.socket.write(request.bytes);
}

/** Reads one response (status line, Content-Length, body) off the connection's buffer. */
function onData(connection: Connection, chunk: Buffer): void {
  connection.buffer = connection.buffer.length ? Buffer.concat([connection.buffer, chunk]) : chunk;
  const headerEnd = connection.buffer.indexOf('\r\n\r\n');
  if (headerEnd < 0) return;
  const head = connection.buffer.subarray(0, headerEnd).toString('latin1');
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
  if (!Number.isFinite(length)) { errors += 1; connection.socket.destroy(); return; }
  if (connection.buffer.length < headerEnd + 4 + length) return;
  connection.buffer = connection.buffer.subarray(headerEnd + 4 + length);
  const status = Number(head.slice(9, 12));
  if (status < 200 || status > 299) non2xx += 1;
  if (connection.started >= measureFrom) {
    const ms = performance.now() - connection.started;
    latencies.push(ms);
    if (ms > 10) slow.push({ at: connection.started - measureFrom, ms });
  }
  connection.busy = false;
  const due = backlog.shift();
  if (due !== undefined && running) send(connection, due);
  else idle.push(connection);
}

let running = true;
async function main(): Promise<void> {
  const connections = await Promise.all(Array.from({ length: job.connections }, () => new Promise<Connection>((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(connection));
    const connection: Connection = { socket, busy: false, started: 0, buffer: Buffer.alloc(0) };
    socket.on('data', (chunk: Buffer) => onData(connection, chunk));
    socket.on('error', (error) => { errors += 1; reject(error); });
  })));
  idle.push(...connections);
  const start = performance.now();
  measureFrom = start + warmupMs;
  const interval = 1000 / job.rate;
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - start >= warmupMs + job.seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      while ((scheduled + 1) * interval <= now - start) {
        const dueAt = start + scheduled * interval;
        scheduled += 1;
        const connection = idle.pop();
        // The generator's own timer lateness is not the server's: timed from now when a connection was free.
        if (connection) send(connection, now);
        else backlog.push(dueAt);
      }
    }, 1);
  });
  running = false;
  // Let the requests in flight finish (what is still in the backlog was never sent: counted late).
  const deadline = performance.now() + 2000;
  while (connections.some((c) => c.busy) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const timeouts = connections.filter((c) => c.busy).length + backlog.length;
  backlog = [];
  for (const c of connections) c.socket.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  const slowPerSecond = Array.from({ length: job.seconds }, (_, i) => slow.filter((r) => Math.floor(r.at / 1000) === i).length);
  const worst = slow.sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => ({ atS: Math.round(r.at) / 1000, ms: Math.round(r.ms) }));
  process.stdout.write(JSON.stringify({ rps: latencies.length / job.seconds, total: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1), non2xx, errors, timeouts, slowPerSecond, worst }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
