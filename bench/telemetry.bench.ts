/**
 * npm run bench:telemetry — telemetry ingestion through HTTP against a bare baseline, in the same
 * run, on the same machine and database (docs/architecture.md §11).
 *
 * - Creates its own PostgreSQL database (BENCH_DATABASE_URL's server, default
 *   postgres://postgres@127.0.0.1:5432), migrates it (partitioned telemetry_events), and drops it.
 * - The app: the real service (createApp), licences issued by the real use case, tokens from the
 *   real POST /v1/validate. Batches of 100 events go to POST /v1/telemetry from a separate
 *   process (this file run with --client), so the load generator does not share the server's
 *   event loop. Each batch has a new batchId: every one is stored.
 * - The baseline: the same rows (same columns, pseudonyms, JSON props) inserted with `pg`, one
 *   multi-row INSERT per batch, through a pool of the same size and the same concurrency.
 * - Rounds alternate app and baseline (BENCH_ROUNDS × BENCH_SECONDS each) so table growth and
 *   machine noise fall on both. Prints events/s of each, last the ratio.
 */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { createApp } from '../src/app';
import { createContact } from '../src/contacts/create-contact';
import { openDatabase } from '../src/db/database';
import { issueLicence } from '../src/licences/issue-licence';
import { createLogger } from '../src/logger';
import { buildServices } from '../src/services';
import { runTelemetryMaintenance } from '../src/telemetry/telemetry-maintenance';
import { benchConfig, createBenchDatabase } from './support/bench-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 8);
const POOL_SIZE = 10;
const BATCH = 100;
// Senders spread over many licensed devices, as in real life: ingestion is rate-limited per device
// (120 batches a minute), so a handful of devices could not carry the load this bench offers.
const LICENCES = 600;

interface PhaseResult { batches: number; events: number; errors: number; seconds: number }

/** The events of one batch, as the SDK sends them (a session with features and an error). */
function batchEvents(seed: number, now: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < BATCH; i++) {
    const at = new Date(now - (BATCH - i) * 1000).toISOString();
    if (i === 0) events.push({ type: 'session_start', name: 'session', at });
    else if (i === BATCH - 1) events.push({ type: 'session_end', name: 'session', at, durationMs: 60_000 + seed % 1000 });
    else if (i % 25 === 0) events.push({ type: 'error', name: 'TimeoutError', at, props: { message: 'sync timed out', attempt: i } });
    else events.push({ type: 'feature', name: `feature.${(seed + i) % 40}`, at, durationMs: 20 + i, props: { count: i, fromMenu: i % 2 === 0 } });
  }
  return events;
}

// ───────────────────────────── the load generator (child process) ─────────────────────────────

async function runClient(job: { url: string; tokens: string[]; seconds: number; concurrency: number }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const target = new URL('/v1/telemetry', job.url);
  const template = JSON.stringify({ batchId: '__BATCH__', app: { version: '5.2.1', os: 'Windows 11 23H2' }, events: batchEvents(7, Date.now()) });
  const deadline = Date.now() + job.seconds * 1000;
  const result: PhaseResult = { batches: 0, events: 0, errors: 0, seconds: job.seconds };
  const post = (token: string) => new Promise<void>((resolve) => {
    const body = template.replace('__BATCH__', randomUUID());
    const req = http.request(target, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 202) {
          result.batches += 1;
          result.events += (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accepted: number }).accepted;
        } else result.errors += 1;
        resolve();
      });
    });
    req.on('error', () => { result.errors += 1; resolve(); });
    req.end(body);
  });
  await Promise.all(Array.from({ length: job.concurrency }, async (_, worker) => {
    let n = worker;
    while (Date.now() < deadline) await post(job.tokens[n++ % job.tokens.length]);
  }));
  agent.destroy();
  process.stdout.write(JSON.stringify(result));
}

// ───────────────────────────── the benchmark (main process) ─────────────────────────────

async function appPhase(url: string, tokens: string[]): Promise<PhaseResult> {
  // Hundreds of tokens: the job goes through a file, not the command line (E2BIG).
  const jobFile = path.join(os.tmpdir(), `nomina-telemetry-bench-${process.pid}.json`);
  writeFileSync(jobFile, JSON.stringify({ url, tokens, seconds: SECONDS, concurrency: CONCURRENCY }));
  const { stdout } = await promisify(execFile)(process.execPath, [__filename, '--client', jobFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  rmSync(jobFile, { force: true });
  return JSON.parse(stdout) as PhaseResult;
}

/** The same rows the service stores, one multi-row INSERT per batch. */
async function baselinePhase(pool: Pool, productId: string, telemetryKey: Buffer, holders: string[]): Promise<PhaseResult> {
  const columns = '"at", "pseudonym", "productId", "type", "name", "durationMs", "appVersion", "osVersion", "props", "receivedAt"';
  const values = Array.from({ length: BATCH }, (_, r) => `(${Array.from({ length: 10 }, (_, c) => `$${r * 10 + c + 1}`).join(', ')})`).join(', ');
  const sql = `INSERT INTO "telemetry_events" (${columns}) VALUES ${values}`;
  const events = batchEvents(7, Date.now());
  const month = new Date().toISOString().slice(0, 7);
  const deadline = Date.now() + SECONDS * 1000;
  const result: PhaseResult = { batches: 0, events: 0, errors: 0, seconds: SECONDS };
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
    let n = worker;
    while (Date.now() < deadline) {
      const pseudonym = createHmac('sha256', telemetryKey).update(`${holders[n++ % holders.length]}|${month}`).digest('hex');
      const receivedAt = new Date().toISOString();
      const params = events.flatMap((e) => [
        e.at, pseudonym, productId, e.type, e.name, e.durationMs ?? null, '5.2.1', 'Windows 11 23H2', e.props ? JSON.stringify(e.props) : null, receivedAt,
      ]);
      try {
        await pool.query(sql, params);
        result.batches += 1;
        result.events += BATCH;
      } catch {
        result.errors += 1;
      }
    }
  }));
  return result;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('nomina_bench_tel');
  const url = database.url;
  const config = benchConfig({ databaseUrl: url });
  const db = await openDatabase({ databaseUrl: url, dataDir: config.dataDir, poolSize: POOL_SIZE });
  const services = buildServices(config, db, createLogger('warn'));
  const baselinePool = new Pool({ connectionString: url, max: POOL_SIZE });
  const server = createApp(services).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    await runTelemetryMaintenance(services, new Date());
    const product = await services.prisma.product.create({ data: { code: 'TBENCH', name: 'Telemetry benchmark' } });
    const policy = await services.prisma.policy.create({ data: { productId: product.id, name: 'bench', entitlements: ['core'] } });
    const customer = await services.prisma.customer.create({ data: { name: 'Bench', nameSearch: 'bench', country: 'BE', agreementStartsAt: new Date('2025-01-01') } });
    const tokens: string[] = [];
    const holders: string[] = [];
    for (let i = 0; i < LICENCES; i++) {
      const holder = await createContact(services, {
        customerId: customer.id, firstName: 'Bench', lastName: `Holder ${i}`, email: `holder${i}@bench.test`, roles: ['licence_holder'],
        title: null, jobTitle: null, department: null, address: null, phone: null, fax: null,
      }, { type: 'system', id: 'bench' });
      holders.push(holder.id);
      const { key } = await issueLicence(services, { policyId: policy.id, holderId: holder.id }, { type: 'system', id: 'bench' });
      const res = await fetch(`${base}/v1/validate`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` },
        body: JSON.stringify({
          key, product: product.code, nonce: randomBytes(12).toString('base64url'), clientTime: new Date().toISOString(),
          device: { ntUsername: `user${i}`, ntDomain: 'BENCH', pcName: `PC-${i}`, macAddresses: [`00:1A:2B:3C:${[i >> 8, i & 255].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`] },
          app: { version: '5.2.1', os: 'Windows 11 23H2' },
        }),
      });
      const verdict = (await res.json()) as { valid: boolean; token: string | null; code: string };
      if (!verdict.valid || !verdict.token) throw new Error(`validation failed: ${verdict.code}`);
      tokens.push(verdict.token);
    }
    // A baseline product of its own, so the two do not share pseudonym/product index pages unfairly.
    const baselineProduct = await services.prisma.product.create({ data: { code: 'TBASE', name: 'Baseline' } });

    // Warm-up: connections, JIT, the partition cache.
    await appPhase(base, tokens).catch(() => undefined);
    const app: PhaseResult = { batches: 0, events: 0, errors: 0, seconds: 0 };
    const baseline: PhaseResult = { batches: 0, events: 0, errors: 0, seconds: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [total, phase] of [[app, () => appPhase(base, tokens)], [baseline, () => baselinePhase(baselinePool, baselineProduct.id, config.secrets.telemetryKey, holders)]] as const) {
        const r = await phase();
        total.batches += r.batches; total.events += r.events; total.errors += r.errors; total.seconds += r.seconds;
      }
    }
    const appRate = app.events / app.seconds;
    const baseRate = baseline.events / baseline.seconds;
    console.log(`telemetry ingestion, batches of ${BATCH} events, ${CONCURRENCY} concurrent senders, ${ROUNDS} × ${SECONDS} s each, PostgreSQL pool ${POOL_SIZE}`);
    console.log(`app (POST /v1/telemetry):          ${appRate.toFixed(0)} events/s  (${(app.batches / app.seconds).toFixed(0)} batches/s, errors ${app.errors})`);
    console.log(`baseline (pg multi-row INSERT):    ${baseRate.toFixed(0)} events/s  (${(baseline.batches / baseline.seconds).toFixed(0)} batches/s, errors ${baseline.errors})`);
    console.log(`telemetry/baseline throughput ratio: ${(appRate / baseRate).toFixed(2)}`);
  } finally {
    server.close();
    await baselinePool.end();
    await services.close();
    await db.close();
    await database.drop();
  }
}

if (process.argv[2] === '--client') {
  runClient(JSON.parse(readFileSync(process.argv[3], 'utf8'))).catch((error) => { console.error(error); process.exit(1); });
} else {
  main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
}
