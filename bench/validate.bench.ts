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
 * - Then the same comparison as users run the service (issue 15): the production build
 *   (`dist/src/main.js`, NODE_ENV=production, fraud signals on) in a process of its own, once at
 *   LOG_LEVEL=warn and once at info, against the baseline in a process of its own
 *   (support/baseline-server.ts); servers pinned to one CPU, the load generator to the other
 *   (support/own-process.ts), BENCH_OWN_CONNECTIONS (64) connections, rounds interleaved
 *   (validate warn, validate info, baseline); then validate's p99 at half its own maximum rate,
 *   evenly paced, and at that same rate the floors (support/floor-server.ts: Node's bare http and
 *   one prepared lookup — what this machine gives any server; and validate's contract done
 *   plainly: the lookup, a signature, the event written, one statement each) and one PostgreSQL
 *   round trip alone (support/round-trip-probe.ts). CPU per request of each server process is read from /proc.
 * Every request is a known device of a bound account (the hot path); each device always comes
 * from the same client address (X-Forwarded-For; the app trusts the loopback proxy), 256 devices
 * per /24 network: an office each, honest traffic.
 * BENCH_PARTS=own-process,in-process,storm (default all three) chooses what runs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db/database';
import { drainFraudEvaluations } from '../src/fraud/fraud-runtime';
import { createLogger } from '../src/logger';
import type { Config } from '../src/config';
import { buildServices, type Services } from '../src/services';
import { benchConfig, createBenchDatabase } from './support/bench-database';
import { baselineApp } from './support/baseline-server';
import { BENCH_METRICS_TOKEN, cpuSeconds, PINNING, pinned, scrapeFraudMetrics, startBaseline, startFloor, startService, type ServerProcess } from './support/own-process';
import { seed } from './support/seed';
import { runStormScenario } from './support/storm-scenario';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OWN_CONNECTIONS = Number(process.env.BENCH_OWN_CONNECTIONS ?? 64);
/**
 * An A/B within one run: BENCH_VARIANT_ENV="NAME=value NAME2=value" and/or BENCH_VARIANT_MAIN=<another
 * build's dist/src/main.js> start a fourth service (LOG_LEVEL=warn) measured in the same rotation.
 */
const VARIANT_ENV = Object.fromEntries((process.env.BENCH_VARIANT_ENV ?? '').split(' ').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const VARIANT_MAIN = process.env.BENCH_VARIANT_MAIN || undefined;
const VARIANT = Object.keys(VARIANT_ENV).length > 0 || VARIANT_MAIN !== undefined;
const PARTS = new Set((process.env.BENCH_PARTS ?? 'own-process,in-process,storm').split(','));
const POOL_SIZE = 10;
const HALF_RUNS = Number(process.env.BENCH_HALF_RUNS ?? 3);

/**
 * Waits until the process uses < 5 % of a core over 0.5 s and no autovacuum worker is busy on the
 * benchmark's database (at most 20 s); returns the seconds waited.
 */
async function settle(pid: number, pool: Pool): Promise<number> {
  const started = Date.now();
  for (let before = cpuSeconds(pid); before !== null && Date.now() - started < 20_000;) {
    await new Promise((r) => setTimeout(r, 500));
    const after = cpuSeconds(pid);
    const vacuuming = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`)).rows[0].n);
    if ((after === null || after - before < 0.025) && vacuuming === 0) break;
    before = after;
  }
  return (Date.now() - started) / 1000;
}
const LICENCES = 10_000;
const DEVICES_PER_LICENCE = 2;

interface LoadResult { rps: number; total: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; max?: number; slowPerSecond?: number[]; worst?: { atS: number; ms: number }[] }

interface LoadOptions { overallRate?: number; connections?: number; pin?: boolean; amount?: number }

/**
 * Asynchronous: the in-process servers under load live in this process and must keep running
 * meanwhile. `pin`: on the load generator's CPU (support/own-process.ts).
 */
async function load(url: string, requestsFile: string, seconds: number, options: LoadOptions = {}): Promise<LoadResult> {
  const job = { url, path: '/v1/validate', requestsFile, seconds, connections: options.connections ?? CONNECTIONS, overallRate: options.overallRate, amount: options.amount };
  const [command, args] = pinned(options.pin ? PINNING?.load : undefined, process.execPath, [path.join(__dirname, 'support', 'load-generator.js'), JSON.stringify(job)]);
  const { stdout } = await promisify(execFile)(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

interface RoundTrip { total: number; p50: number; p99: number; max: number }

/** One PostgreSQL round trip alone, paced at `rate`, on the servers' core (support/round-trip-probe.ts). */
async function roundTrip(databaseUrl: string, rate: number, seconds: number): Promise<RoundTrip> {
  const job = { databaseUrl, rate, seconds, connections: POOL_SIZE };
  const [command, args] = pinned(PINNING?.server, process.execPath, [path.join(__dirname, 'support', 'round-trip-probe.js'), JSON.stringify(job)]);
  const { stdout } = await promisify(execFile)(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as RoundTrip;
}

/** Requests evenly spaced at `rate` per second (support/paced-load.ts: why not autocannon's overallRate). */
async function paced(url: string, requestsFile: string, seconds: number, rate: number, options: LoadOptions = {}): Promise<LoadResult> {
  const job = { url, path: '/v1/validate', requestsFile, seconds, connections: options.connections ?? CONNECTIONS, rate };
  const [command, args] = pinned(options.pin ? PINNING?.load : undefined, process.execPath, [path.join(__dirname, 'support', 'paced-load.js'), JSON.stringify(job)]);
  const { stdout } = await promisify(execFile)(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

function meanOf(all: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => all.reduce((sum, r) => sum + f(r), 0) / all.length;
  return { rps: avg((r) => r.rps), total: avg((r) => r.total), p50: Math.round(avg((r) => r.p50)), p99: Math.round(avg((r) => r.p99)), non2xx: avg((r) => r.non2xx), errors: avg((r) => r.errors), timeouts: avg((r) => r.timeouts) };
}

const listen = (app: import('express').Express) => new Promise<import('node:http').Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
const urlOf = (server: import('node:http').Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${r.non2xx || r.errors ? `   (non-2xx ${r.non2xx}, errors ${r.errors})` : ''}`;

interface Setup { url: string; config: Config; services: Services; pool: Pool; requestsFile: string; devices: number; scratch: string }

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nomina-bench-'));
  const bench = await createBenchDatabase('nomina_bench');
  const url = bench.url;
  try {
    const client = new Client({ connectionString: url });
    client.on('error', () => {}); // ended by the drop when the benchmark fails early
    await client.connect();
    // Fraud signals off for the in-process comparison; measured on vs off after it.
    const config = benchConfig({ databaseUrl: url, dataDir: scratch, fraudSignals: 'off' });
    const db = await openDatabase({ databaseUrl: url, dataDir: scratch, poolSize: POOL_SIZE });
    const services = buildServices(config, db, createLogger('warn'));

    const started = Date.now();
    const { product, devices } = await seed(client, services, LICENCES, DEVICES_PER_LICENCE);
    await client.end();
    console.log(`seeded ${LICENCES} licences and ${devices.length} devices in ${((Date.now() - started) / 1000).toFixed(1)} s; load: ${loadAverage()}`);

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

    const pool = new Pool({ connectionString: url, max: POOL_SIZE });
    pool.on('error', () => {}); // idle connections ended by the drop
    const setup: Setup = { url, config, services, pool, requestsFile, devices: devices.length, scratch };
    const summary: string[] = [];
    // As users run it first, on a database only the seed has written: the in-process part's fraud
    // rounds leave observations and alerts behind that make the services' fraud engines work more
    // (measured: 506 instead of ≈ 360 µs of CPU per validation when run after it).
    if (PARTS.has('own-process')) summary.push(...await ownProcess(setup));
    if (PARTS.has('in-process')) summary.push(...await inProcess(setup));
    console.log(`\n${summary.join('\n')}`);

    await pool.end();
    await services.close();
    await db.close();
  } catch (error) {
    // Said before the drop below ends the connections still open.
    console.error('benchmark failed:', error);
    process.exitCode = 1;
  } finally {
    await bench.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** The verdict must really be VALID on the hot path, or the comparison means nothing. */
async function probe(base: string, requestsFile: string): Promise<void> {
  const response = await fetch(`${base}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.parse(readFileSync(requestsFile, 'utf8').split('\n')[0]).body });
  const verdict = await response.json() as { code?: string; device?: { new: boolean } };
  if (verdict.code !== 'VALID' || verdict.device?.new !== false) throw new Error(`probe validation answered ${JSON.stringify(verdict)}`);
}

/** The app and the baseline in this process (createApp, real services, request log at warn). */
async function inProcess({ config, services, pool, requestsFile, devices }: Setup): Promise<string[]> {
  const app = await listen(createApp(services));
  const baseline = await listen(baselineApp(pool, config.secrets.keyPepper));
  await probe(urlOf(app), requestsFile);

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
  const validateBursts = await load(urlOf(app), requestsFile, SECONDS, { overallRate: Math.floor(validateMax.rps / 2) });
  const baselineBursts = await load(urlOf(baseline), requestsFile, SECONDS, { overallRate: Math.floor(baselineMax.rps / 2) });

  const events = await pool.query('SELECT count(*)::int AS n FROM validation_events');
  console.log(`\nIN PROCESS: ${CONNECTIONS} connections, ${SECONDS} s per run, pools of ${POOL_SIZE}, ${os.cpus().length} CPUs; ${events.rows[0].n} validation events written; load ${loadAverage()}`);
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
  await load(urlOf(app), requestsFile, Math.ceil(devices / warmRate) + 2, { overallRate: warmRate });
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
  console.log(`fraud signals off  ${fmt(signalsOff)}   (mean of ${rounds.length} runs, interleaved with on)`);
  console.log(`fraud signals on   ${fmt(signalsOn)}   (${observations.rows[0].n} fraud observations)`);
  const fraudRatio = signalsOn.rps / signalsOff.rps;

  await new Promise((r) => app.close(r));
  await new Promise((r) => baseline.close(r));
  const ratio = validateMax.rps / baselineMax.rps;
  return [
    `in-process  validate/baseline ratio ${ratio.toFixed(2)} (${validateMax.rps.toFixed(0)} / ${baselineMax.rps.toFixed(0)} req/s, fraud signals off); p99 at half rate ${validateHalf.p99} ms`,
    `in-process  fraud signals on/off ratio ${fraudRatio.toFixed(2)} — target (within 10%): ${fraudRatio >= 0.9 ? 'met' : 'NOT met'}`,
  ];
}

/** Load on `server` with the load generator pinned, and the server's CPU time per answered request. */
async function measured(server: ServerProcess, requestsFile: string, seconds: number, options: LoadOptions = {}): Promise<LoadResult & { cpuUs: number | null }> {
  const before = cpuSeconds(server.pid);
  const from = process.hrtime.bigint() / 1000n;
  const result = await load(server.url, requestsFile, seconds, { connections: OWN_CONNECTIONS, pin: true, ...options });
  const after = cpuSeconds(server.pid);
  // The run's span on the monotonic clock (µs), which --cpu-prof's sample times share: to read a
  // profile of the measured runs only.
  if (process.env.BENCH_SERVICE_NODE_ARGS) console.log(`profile window ${server.pid} ${from} ${process.hrtime.bigint() / 1000n}`);
  return { ...result, cpuUs: before === null || after === null || result.total === 0 ? null : ((after - before) / result.total) * 1e6 };
}

/**
 * Sends every device's request once, then waits until the fraud engine's backlog is empty; again
 * if it shed any evaluation meanwhile (at most 4 passes). Honest traffic in the measured rounds
 * is then a repeat of known devices, as in production between restarts. A fixed warm-up time
 * was not: on a slower machine not every device was reached, or the first sightings' evaluations
 * were shed or still running in the measured rounds (the database queries of first sightings, in
 * a run meant to measure repeat traffic).
 */
async function warmUp(service: ServerProcess, requestsFile: string, devices: number): Promise<string> {
  const started = Date.now();
  const fraud = () => scrapeFraudMetrics(service.url, BENCH_METRICS_TOKEN);
  for (let pass = 1; ; pass++) {
    const shedBefore = (await fraud()).nomina_fraud_evaluations_shed_total ?? 0;
    await load(service.url, requestsFile, 0, { connections: OWN_CONNECTIONS, pin: true, amount: devices });
    let after = await fraud();
    for (const until = Date.now() + 120_000; (after.nomina_fraud_evaluation_backlog ?? 0) > 0 && Date.now() < until; after = await fraud()) await new Promise((r) => setTimeout(r, 250));
    const shed = (after.nomina_fraud_evaluations_shed_total ?? 0) - shedBefore;
    const what = `${pass} pass${pass > 1 ? 'es' : ''} of ${devices} requests, ${((Date.now() - started) / 1000).toFixed(0)} s`;
    if (shed === 0) return `${what}, every first sighting evaluated`;
    if (pass === 4) return `${what}; ${shed} evaluations shed in the last pass: the measured rounds still hold first sightings`;
  }
}

const cpu = (r: { cpuUs: number | null }) => (r.cpuUs === null ? '' : `   ${r.cpuUs.toFixed(0)} µs CPU/request`);

/**
 * As users run it (issue 15): the production build in its own process, fraud signals on, at
 * LOG_LEVEL=warn and at info, against the baseline in its own process.
 */
/** Busy clock ticks (100 Hz) of each CPU so far, from /proc/stat; [] where there is none. */
function cpuBusyTicks(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).map((l) => {
      const [user, nice, system, , , irq, softirq, steal] = l.trim().split(/\s+/).slice(1).map(Number);
      return user + nice + system + irq + softirq + steal;
    });
  } catch {
    return [];
  }
}

async function ownProcess({ config, requestsFile, devices, scratch, pool }: Setup): Promise<string[]> {
  const warn = await startService(config, { logLevel: 'warn', fraudSignals: 'on', scratch, label: 'warn' });
  const info = await startService(config, { logLevel: 'info', fraudSignals: 'on', scratch, label: 'info' });
  const baseline = await startBaseline(config, POOL_SIZE);
  // The same baseline on the service's own server (src/http/express-server.ts): not the targets'
  // baseline (Express as it comes), but it shows how much of the ratio is that server alone.
  const baselineObjects = await startBaseline(config, POOL_SIZE, { expressObjects: true });
  // The latency floor: Node's bare http server and one prepared lookup (support/floor-server.ts),
  // measured at validate's half rate — what this machine gives any server there (not a target).
  const floor = await startFloor(config, POOL_SIZE);
  // And validate's contract done plainly (a read, a signature, then the event written before the
  // answer, one statement each): two round trips one after the other (bench/README.md, sixth pass).
  const plainContract = await startFloor(config, POOL_SIZE, 'contract');
  const variant = VARIANT ? await startService(config, { logLevel: 'warn', fraudSignals: 'on', scratch, label: 'variant', env: VARIANT_ENV, mainJs: VARIANT_MAIN }) : undefined;
  // Request logs at info go to stdout: drained by the bench as a log shipper would, not kept.
  try {
    await probe(warn.url, requestsFile);
    // Every device seen once with signals on (its observations written, then fresh for 15 min), the
    // processes warmed up. Fraud signals keep what each process has seen in its memory: each
    // service sees every device, and its fraud engine has evaluated every first sighting.
    for (const service of [warn, info, ...(variant ? [variant] : [])]) console.log(`warm-up of ${service.name}: ${await warmUp(service, requestsFile, devices)}`);
    await load(baseline.url, requestsFile, 3, { connections: OWN_CONNECTIONS, pin: true });
    await load(baselineObjects.url, requestsFile, 3, { connections: OWN_CONNECTIONS, pin: true });
    await load(floor.url, requestsFile, 3, { connections: OWN_CONNECTIONS, pin: true });
    await load(plainContract.url, requestsFile, 3, { connections: OWN_CONNECTIONS, pin: true });

    type Measured = LoadResult & { cpuUs: number | null };
    const rounds: { warn: Measured; info: Measured; baseline: Measured; baselineObjects: Measured; variant?: Measured }[] = [];
    // Each round runs every server, starting with a different one each time: what comes first after
    // a pause, or right after another's load (vacuum, a busier or quieter machine), is not always the same server.
    const servers: Record<string, ServerProcess> = { warn, info, baseline, baselineObjects, ...(variant ? { variant } : {}) };
    const order = variant ? ['warn', 'variant', 'info', 'baseline', 'baselineObjects'] as const : ['warn', 'info', 'baseline', 'baselineObjects'] as const;
    for (let i = 0; i < ROUNDS; i++) {
      const round = {} as (typeof rounds)[number];
      for (let j = 0; j < order.length; j++) {
        const which = order[(i + j) % order.length];
        round[which] = await measured(servers[which], requestsFile, SECONDS);
      }
      rounds.push(round);
    }
    const meanCpu = (all: { cpuUs: number | null }[]) => (all.some((r) => r.cpuUs === null) ? null : all.reduce((s, r) => s + r.cpuUs!, 0) / all.length);
    const warnMax = { ...meanOf(rounds.map((r) => r.warn)), cpuUs: meanCpu(rounds.map((r) => r.warn)) };
    const infoMax = { ...meanOf(rounds.map((r) => r.info)), cpuUs: meanCpu(rounds.map((r) => r.info)) };
    const baselineMax = { ...meanOf(rounds.map((r) => r.baseline)), cpuUs: meanCpu(rounds.map((r) => r.baseline)) };
    const objectsMax = { ...meanOf(rounds.map((r) => r.baselineObjects)), cpuUs: meanCpu(rounds.map((r) => r.baselineObjects)) };
    const variantMax = variant ? { ...meanOf(rounds.map((r) => r.variant!)), cpuUs: meanCpu(rounds.map((r) => r.variant!)) } : undefined;
    const halfRate = Math.floor(warnMax.rps / 2);
    // The p99 at half rate is set by the slowest 1 %: at ≈ 1,400 req/s for 10 s, one stall of
    // 150 ms sets it alone. So each server is measured once it is idle again (the load before
    // leaves work behind: fraud evaluations after the response, PostgreSQL's autovacuum of the
    // rows just written), after a second of warm-up at the same rate (paced-load.ts), and
    // HALF_RUNS times; the median run is the figure, and each run's slow seconds are printed.
    const halfRuns = async (server: ServerProcess, rate: number) => {
      const runs: (LoadResult & { settledS: number; others: string })[] = [];
      for (let i = 0; i < HALF_RUNS; i++) {
        const settledS = await settle(server.pid, pool);
        // What else ran meanwhile: PostgreSQL's checkpoints and autovacuum on this database, and
        // CPU time on the server's core that was not the server's (other processes, PostgreSQL).
        const pgState = async () => (await pool.query<{ checkpoints: string; vacuums: string }>(
          `SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::text AS checkpoints,
                  (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)::text AS vacuums`)).rows[0];
        const pgBefore = await pgState();
        const ticksBefore = cpuBusyTicks();
        const serverBefore = cpuSeconds(server.pid);
        const startedAt = Date.now();
        const result = await paced(server.url, requestsFile, SECONDS, rate, { connections: OWN_CONNECTIONS, pin: true });
        const serverAfter = cpuSeconds(server.pid);
        const ticksAfter = cpuBusyTicks();
        const pgAfter = await pgState();
        const wall = (Date.now() - startedAt) / 1000;
        const core = PINNING ? Number(PINNING.server) : -1;
        const othersOnCore = core >= 0 && ticksAfter.length > core && serverBefore !== null && serverAfter !== null
          ? `${Math.round(((ticksAfter[core] - ticksBefore[core]) / 100 - (serverAfter - serverBefore)) / wall * 100)} % of the server's core used by others`
          : 'others on the core: n/a';
        const others = `${othersOnCore}; checkpoints ${Number(pgAfter.checkpoints) - Number(pgBefore.checkpoints)}, autovacuum/analyze ${Number(pgAfter.vacuums) - Number(pgBefore.vacuums)}`;
        runs.push({ ...result, settledS, others });
      }
      const median = [...runs].sort((a, b) => a.p99 - b.p99)[Math.floor(runs.length / 2)];
      return { median, runs };
    };
    const warnHalves = await halfRuns(warn, halfRate);
    const baselineHalves = await halfRuns(baseline, Math.floor(baselineMax.rps / 2));
    const floorHalves = await halfRuns(floor, halfRate);
    const contractHalves = await halfRuns(plainContract, halfRate);
    // One round trip to PostgreSQL alone (no HTTP), paced at the same rate from the servers' core.
    const roundTrips: RoundTrip[] = [];
    for (let i = 0; i < HALF_RUNS; i++) roundTrips.push(await roundTrip(config.databaseUrl!, halfRate, SECONDS));
    const roundTripMedian = [...roundTrips].sort((a, b) => a.p99 - b.p99)[Math.floor(roundTrips.length / 2)];
    const warnHalf = warnHalves.median;
    const baselineHalf = baselineHalves.median;
    const describeRuns = (runs: (LoadResult & { settledS: number; others: string })[]) => runs.map((r) => `p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (idle after ${r.settledS.toFixed(1)} s; ${r.others}; requests > 10 ms per second: ${r.slowPerSecond?.join(' ')}; slowest at ${r.worst?.map((w) => `${w.atS} s: ${w.ms} ms`).join(', ')})`).join('\n    ');

    const pinning = PINNING ? `servers on CPU ${PINNING.server}, load generator on CPU ${PINNING.load}` : 'not pinned (no taskset or one CPU)';
    console.log(`\nOWN PROCESS (dist/src/main.js, NODE_ENV=production, fraud signals on): ${OWN_CONNECTIONS} connections, ${SECONDS} s per run, ${pinning}; load ${loadAverage()}`);
    console.log(`validate LOG_LEVEL=warn  max  ${fmt(warnMax)}${cpu(warnMax)}   (mean of ${ROUNDS} runs, interleaved, order rotated)`);
    console.log(`validate LOG_LEVEL=info  max  ${fmt(infoMax)}${cpu(infoMax)}`);
    console.log(`baseline                 max  ${fmt(baselineMax)}${cpu(baselineMax)}`);
    console.log(`baseline, Express objects max ${fmt(objectsMax)}${cpu(objectsMax)}   (the baseline on the service's server: comparison only)`);
    if (variantMax) console.log(`variant (warn; ${process.env.BENCH_VARIANT_ENV ?? ''} ${VARIANT_MAIN ?? ''}) max  ${fmt(variantMax)}${cpu(variantMax)}`);
    console.log(`validate half rate            ${fmt(warnHalf)}   (at ${halfRate} req/s, evenly paced, ${OWN_CONNECTIONS} connections)`);
    console.log(`baseline half rate            ${fmt(baselineHalf)}   (at ${Math.floor(baselineMax.rps / 2)} req/s, evenly paced)`);
    console.log(`floor half rate               ${fmt(floorHalves.median)}   (at ${halfRate} req/s, validate's half rate: node:http and one prepared lookup, what this machine gives any server)`);
    console.log(`contract, plainly, half rate  ${fmt(contractHalves.median)}   (at ${halfRate} req/s: node:http, the lookup, a signature, then the event written, one statement each, nothing grouped)`);
    console.log(`one round trip to PostgreSQL  p50 ${roundTripMedian.p50} ms   p99 ${roundTripMedian.p99} ms   (at ${halfRate} per second, pg alone, no HTTP; p99 of ${HALF_RUNS} runs: ${roundTrips.map((r) => r.p99).join(' / ')} ms, max ${roundTrips.map((r) => r.max).join(' / ')} ms)`);
    console.log(`  validate half-rate runs (median above):\n    ${describeRuns(warnHalves.runs)}`);
    console.log(`  baseline half-rate runs:\n    ${describeRuns(baselineHalves.runs)}`);
    console.log(`  floor half-rate runs:\n    ${describeRuns(floorHalves.runs)}`);
    console.log(`  contract, plainly, half-rate runs:\n    ${describeRuns(contractHalves.runs)}`);

    const warnRatio = warnMax.rps / baselineMax.rps;
    const infoRatio = infoMax.rps / baselineMax.rps;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    // Server CPU per request, baseline's over validate's: what the throughput ratio is when the
    // server's core is the limit, and far less moved by other load on the machine than req/s.
    const cpuRatio = (r: { cpuUs: number | null }) => (r.cpuUs && baselineMax.cpuUs ? (baselineMax.cpuUs / r.cpuUs).toFixed(2) : 'n/a');
    console.log(`CPU per request, baseline/validate: ${cpuRatio(warnMax)} at warn, ${cpuRatio(infoMax)} at info`);
    console.log(`for comparison, validate/baseline on the service's server: ${(warnMax.rps / objectsMax.rps).toFixed(2)} at warn, ${(infoMax.rps / objectsMax.rps).toFixed(2)} at info (${objectsMax.rps.toFixed(0)} req/s; not the targets' baseline)`);
    return [
      `own-process validate/baseline ratio ${warnRatio.toFixed(2)} at LOG_LEVEL=warn (${warnMax.rps.toFixed(0)} / ${baselineMax.rps.toFixed(0)} req/s) — target ≥ 0.6: ${met(warnRatio >= 0.6)}`,
      `own-process validate/baseline ratio ${infoRatio.toFixed(2)} at LOG_LEVEL=info (${infoMax.rps.toFixed(0)} / ${baselineMax.rps.toFixed(0)} req/s) — target ≥ 0.6: ${met(infoRatio >= 0.6)}`,
      `own-process p99 at half rate ${warnHalf.p99} ms (median of ${HALF_RUNS} runs: ${warnHalves.runs.map((r) => r.p99).join(" / ")} ms; p50 ${warnHalf.p50} ms, ${halfRate} req/s evenly paced) — target ≤ 10 ms: ${met(warnHalf.p99 <= 10)}; this machine's floor at that rate ${floorHalves.median.p99} ms (${floorHalves.runs.map((r) => r.p99).join(' / ')} ms), the contract done plainly ${contractHalves.median.p99} ms (${contractHalves.runs.map((r) => r.p99).join(' / ')} ms), one round trip to PostgreSQL alone ${roundTripMedian.p99} ms, the baseline's p99 at its own half rate ${baselineHalf.p99} ms`,
    ];
  } finally {
    await warn.stop();
    await info.stop();
    await baseline.stop();
    await baselineObjects.stop();
    await floor.stop();
    await plainContract.stop();
    await variant?.stop();
  }
}

// The fraud storm beside honest traffic, against the service in its own process (support/storm-scenario.ts).
main().then(async () => { if (!process.exitCode && PARTS.has('storm')) await runStormScenario(); }).then(() => process.exit(), (error) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
