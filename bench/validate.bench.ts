/**
 * npm run bench:validate — POST /v1/validate against a bare baseline, in the same run, on the same
 * machine and database (docs/architecture.md §11).
 *
 * - Creates its own PostgreSQL database (BENCH_DATABASE_URL's server, default
 *   postgres://postgres@127.0.0.1:5432), migrates it, seeds 10k licences and 20k devices, and
 *   drops it at the end.
 * - Starts the real app (createApp, real services, request log at warn) and a baseline: a bare
 *   Express POST route that parses the same JSON body, computes the key digest and does one indexed
 *   `pg` lookup on the same database, with a pool of the same size.
 * - Loads each with autocannon, from a separate process, at full speed for BENCH_SECONDS (10) in
 *   BENCH_ROUNDS (3) interleaved rounds, then at half the rate each reached, evenly paced
 *   (support/paced-load.ts) and, for comparison, with autocannon's bursty overallRate; prints
 *   req/s, p50, p99; last the throughput ratio.
 * Every request is a known device of a bound account (the hot path), from rotating client
 * addresses (X-Forwarded-For; the app trusts the loopback proxy) so rate limits stay realistic.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { Client, Pool } from 'pg';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db/database';
import { drainFraudEvaluations } from '../src/fraud/fraud-runtime';
import { keyDigest } from '../src/licences/licence-keys';
import { createLogger } from '../src/logger';
import { buildServices } from '../src/services';
import { benchConfig, createBenchDatabase } from './support/bench-database';
import { seed } from './support/seed';
import { runStormScenario } from './support/storm-scenario';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_SIZE = 10;
const LICENCES = 10_000;
const DEVICES_PER_LICENCE = 2;

interface LoadResult { rps: number; total: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number }

/** Asynchronous: the servers under load live in this process and must keep running meanwhile. */
async function load(url: string, requestsFile: string, seconds: number, overallRate?: number): Promise<LoadResult> {
  const job = { url, path: '/v1/validate', requestsFile, seconds, connections: CONNECTIONS, overallRate };
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'support', 'load-generator.js'), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** Requests evenly spaced at `rate` per second (support/paced-load.ts: why not autocannon's overallRate). */
async function paced(url: string, requestsFile: string, seconds: number, rate: number): Promise<LoadResult> {
  const job = { url, path: '/v1/validate', requestsFile, seconds, connections: CONNECTIONS, rate };
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'support', 'paced-load.js'), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

function meanOf(all: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => all.reduce((sum, r) => sum + f(r), 0) / all.length;
  return { rps: avg((r) => r.rps), total: avg((r) => r.total), p50: Math.round(avg((r) => r.p50)), p99: Math.round(avg((r) => r.p99)), non2xx: avg((r) => r.non2xx), errors: avg((r) => r.errors), timeouts: avg((r) => r.timeouts) };
}

const listen = (app: express.Express) => new Promise<import('node:http').Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
const urlOf = (server: import('node:http').Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${r.non2xx || r.errors ? `   (non-2xx ${r.non2xx}, errors ${r.errors})` : ''}`;

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nomina-bench-'));
  const bench = await createBenchDatabase('nomina_bench');
  const url = bench.url;
  try {
    const client = new Client({ connectionString: url });
    await client.connect();
    // Fraud signals off for the baseline comparison; measured on vs off at the end.
    const config = benchConfig({ databaseUrl: url, dataDir: scratch, fraudSignals: 'off' });
    const db = await openDatabase({ databaseUrl: url, dataDir: scratch, poolSize: POOL_SIZE });
    const services = buildServices(config, db, createLogger('warn'));

    let started = Date.now();
    const { product, devices } = await seed(client, services, LICENCES, DEVICES_PER_LICENCE);
    await client.end();
    console.log(`seeded ${LICENCES} licences and ${devices.length} devices in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const requestsFile = path.join(scratch, 'requests.jsonl');
    const order = devices.map((_, i) => i).sort(() => Math.random() - 0.5);
    writeFileSync(requestsFile, order.map((i, n) => {
      const d = devices[i];
      const body = JSON.stringify({
        key: d.key, product, device: { ntUsername: d.ntUsername, ntDomain: d.ntDomain, pcName: d.pcName, macAddresses: [d.mac] },
        app: { version: '5.2.1', os: 'Windows 11 23H2' }, nonce: randomBytes(12).toString('base64url'), clientTime: new Date().toISOString(),
      });
      return JSON.stringify({ body, ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });
    }).join('\n'));

    const app = await listen(createApp(services));
    const pool = new Pool({ connectionString: url, max: POOL_SIZE });
    const baselineApp = express();
    baselineApp.post('/v1/validate', express.json(), async (req, res) => {
      const digest = keyDigest(config.secrets.keyPepper, String(req.body.key));
      const { rows } = await pool.query('SELECT id, status FROM licences WHERE "keyDigest" = $1', [digest]);
      res.json({ valid: rows.length === 1 && rows[0].status === 'active', licence: rows[0] ?? null });
    });
    const baseline = await listen(baselineApp);

    // The verdict must really be VALID on the hot path, or the comparison means nothing.
    const probe = await fetch(`${urlOf(app)}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.parse(readFileSync(requestsFile, 'utf8').split('\n')[0]).body });
    const verdict = await probe.json() as { code?: string; device?: { new: boolean } };
    if (verdict.code !== 'VALID' || verdict.device?.new !== false) throw new Error(`probe validation answered ${JSON.stringify(verdict)}`);

    started = Date.now();
    await load(urlOf(app), requestsFile, 3);
    await load(urlOf(baseline), requestsFile, 3);
    // Interleaved rounds: whatever else runs on the machine weighs on both sides alike.
    const maxRounds: { validate: LoadResult; baseline: LoadResult }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      maxRounds.push({ validate: await load(urlOf(app), requestsFile, SECONDS), baseline: await load(urlOf(baseline), requestsFile, SECONDS) });
    }
    const validateMax = meanOf(maxRounds.map((r) => r.validate));
    const baselineMax = meanOf(maxRounds.map((r) => r.baseline));
    // Half the maximum rate, evenly paced (the target's latency), and as autocannon's per-second
    // quota gives it — full speed for half of each second, hence latencies of a saturated server.
    const validateHalf = await paced(urlOf(app), requestsFile, SECONDS, Math.floor(validateMax.rps / 2));
    const baselineHalf = await paced(urlOf(baseline), requestsFile, SECONDS, Math.floor(baselineMax.rps / 2));
    const validateBursts = await load(urlOf(app), requestsFile, SECONDS, Math.floor(validateMax.rps / 2));
    const baselineBursts = await load(urlOf(baseline), requestsFile, SECONDS, Math.floor(baselineMax.rps / 2));

    const events = await pool.query('SELECT count(*)::int AS n FROM validation_events');
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per run, pools of ${POOL_SIZE}, ${os.cpus().length} CPUs; ${events.rows[0].n} validation events written`);
    console.log(`validate  max       ${fmt(validateMax)}   (mean of ${ROUNDS} runs, interleaved with the baseline)`);
    console.log(`baseline  max       ${fmt(baselineMax)}`);
    console.log(`validate  half rate ${fmt(validateHalf)}   (at ${Math.floor(validateMax.rps / 2)} req/s, evenly paced)`);
    console.log(`baseline  half rate ${fmt(baselineHalf)}   (at ${Math.floor(baselineMax.rps / 2)} req/s, evenly paced)`);
    console.log(`validate  half, bursts ${fmt(validateBursts)}   (autocannon overallRate: full speed half of each second)`);
    console.log(`baseline  half, bursts ${fmt(baselineBursts)}`);

    // Fraud signals (src/fraud/): one pass over every device with signals on — each device's first
    // sighting writes its observations once (then fresh for 15 min) — then on and off back to back.
    config.fraudSignals = 'on';
    const warmRate = Math.floor(validateMax.rps / 2);
    await load(urlOf(app), requestsFile, Math.ceil(devices.length / warmRate) + 2, warmRate);
    await drainFraudEvaluations(services);
    // Interleaved rounds: on and off alternate, so load elsewhere on the machine hits both alike.
    const rounds: { on: LoadResult; off: LoadResult }[] = [];
    for (let i = 0; i < 3; i++) {
      config.fraudSignals = 'on';
      const on = await load(urlOf(app), requestsFile, SECONDS);
      config.fraudSignals = 'off';
      rounds.push({ on, off: await load(urlOf(app), requestsFile, SECONDS) });
    }
    const signalsOn = meanOf(rounds.map((r) => r.on));
    const signalsOff = meanOf(rounds.map((r) => r.off));
    const observations = await pool.query('SELECT count(*)::int AS n FROM fraud_observations');
    console.log(`\nfraud signals off  ${fmt(signalsOff)}   (mean of ${rounds.length} runs, interleaved with on)`);
    console.log(`fraud signals on   ${fmt(signalsOn)}   (${observations.rows[0].n} fraud observations)`);
    const fraudRatio = signalsOn.rps / signalsOff.rps;
    console.log(`signals on/off throughput ratio: ${fraudRatio.toFixed(2)} — target (within 10%): ${fraudRatio >= 0.9 ? 'met' : 'NOT met'}`);

    const ratio = validateMax.rps / baselineMax.rps;
    console.log(`\ntarget (ratio ≥ 0.5, p99 ≤ 10 ms at half rate): ${ratio >= 0.5 && validateHalf.p99 <= 10 ? 'met' : 'NOT met'}`);
    console.log(`validate/baseline throughput ratio: ${ratio.toFixed(2)}`);

    await new Promise((r) => app.close(r));
    await new Promise((r) => baseline.close(r));
    await pool.end();
    await services.close();
    await db.close();
  } finally {
    await bench.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// The fraud storm beside honest traffic, against the service in its own process (support/storm-scenario.ts).
main().then(async () => { await runStormScenario(); }).then(() => process.exit(0), (error) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
