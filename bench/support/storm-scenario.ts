/**
 * The fraud storm (issue 15): a leaked-key pattern — each of hundreds of licences' PCs validating
 * from a different address on every request, across a pool of networks, so the overlap signal
 * fires for every one of them and every validation brings new evidence — measured against the
 * service in its own process (`dist/src/main.js`, NODE_ENV=production, real PostgreSQL, fraud
 * signals on, LOG_LEVEL=warn), beside honest traffic (other licences, each PC from its own office
 * address) measured in the same run, interleaved.
 *
 * Reported: both throughputs and their ratio (target ≥ 0.8), how long the service takes to be
 * idle again after each run (< 10 % of a core, read from /proc/<pid>/stat; target ≤ 2 s), failed
 * evaluations (the service's nomina_fraud_evaluation_errors_total and its log; target 0), shed
 * evaluations, and the alerts opened for the storm's licences, a sample of them read through the
 * API as staff read them (target: every storm licence has an overlap alert with evidence).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { indexContactNames } from '../../src/contacts/index-contact-names';
import { openDatabase } from '../../src/db/database';
import { indexNtUsers } from '../../src/devices/index-nt-users';
import { keyDigest } from '../../src/licences/licence-keys';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import { benchConfig, createBenchDatabase, onServer } from './bench-database';
import { scrapeFraudMetrics } from './own-process';
import { seed, type SeededDevice } from './seed';
import { serviceMainJs, spawnService, type SpawnedService } from './spawn-service';

export interface StormOptions {
  seconds?: number;
  rounds?: number;
  connections?: number;
  stormLicences?: number;
  honestLicences?: number;
  log?: (line: string) => void;
}

interface LoadResult { rps: number; total: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; /** CPU the service used, in cores */ cpuShare: number }

export interface StormResult {
  honest: LoadResult;
  storm: LoadResult;
  ratio: number;
  /** per run, ms from the end of the load until the service used < 10 % of a core (null: not within 10 s) */
  idleAfterStormMs: (number | null)[];
  idleAfterHonestMs: (number | null)[];
  /** the evaluation backlog when each storm run ended (from /metrics) */
  backlogAtStormEnd: string[];
  /** licences still waiting for evaluation when the alerts were counted */
  backlogAtCheck: number;
  failedEvaluations: number;
  failedEvaluationLogLines: number;
  /** error codes seen in `fraud evaluation failed` lines */
  failureCodes: string[];
  shedEvaluations: number;
  stormLicences: number;
  licencesWithOverlapAlert: number;
  honestLicencesWithAlerts: number;
  sampledAlerts: { read: number; withEvidence: number; minOccurrences: number; minItems: number };
  targetsMet: boolean;
}

const IDLE_SHARE = 0.1;
const IDLE_WINDOW_MS = 500;

async function load(url: string, requestsFile: string, seconds: number, connections: number, service?: SpawnedService, label = ''): Promise<LoadResult> {
  const job = { url, path: '/v1/validate', requestsFile, seconds, connections };
  const cpuBefore = service?.cpuSeconds() ?? 0;
  const started = Date.now();
  const from = process.hrtime.bigint() / 1000n;
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'load-generator.js'), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  // The run's span on the monotonic clock (µs), which --cpu-prof's sample times share (profile-summary.ts).
  if (service && process.env.BENCH_SERVICE_NODE_ARGS) console.log(`profile window ${label} ${service.pid} ${from} ${process.hrtime.bigint() / 1000n}`);
  const cpuShare = service ? (service.cpuSeconds() - cpuBefore) / ((Date.now() - started) / 1000) : 0;
  return { ...(JSON.parse(stdout) as LoadResult), cpuShare };
}

/** Milliseconds until the process's CPU over the next IDLE_WINDOW_MS falls below IDLE_SHARE of a core. */
async function idleAfter(service: SpawnedService, limitMs = 10_000): Promise<number | null> {
  const started = Date.now();
  const samples: { at: number; cpu: number }[] = [{ at: 0, cpu: service.cpuSeconds() }];
  while (Date.now() - started < limitMs + IDLE_WINDOW_MS) {
    await new Promise((r) => setTimeout(r, 50));
    samples.push({ at: Date.now() - started, cpu: service.cpuSeconds() });
    const last = samples[samples.length - 1];
    // The earliest sample from which the window up to now is complete and quiet.
    const from = samples.find((s) => last.at - s.at >= IDLE_WINDOW_MS && last.at - s.at < IDLE_WINDOW_MS + 100);
    if (from && (last.cpu - from.cpu) / ((last.at - from.at) / 1000) < IDLE_SHARE) return from.at;
  }
  return null;
}

function requestLine(d: SeededDevice, product: string, ip: string): string {
  const body = JSON.stringify({
    key: d.key, product, device: { ntUsername: d.ntUsername, ntDomain: d.ntDomain, pcName: d.pcName, macAddresses: [d.mac] },
    app: { version: '5.2.1', os: 'Windows 11 23H2' }, nonce: randomBytes(12).toString('base64url'), clientTime: new Date().toISOString(),
  });
  return JSON.stringify({ body, ip });
}

const shuffle = <T>(items: T[]) => items.map((v) => [Math.random(), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);

/**
 * Honest: each licence's PC from its own office address. Storm: each licence's PC from a new
 * address on every request, in one of its key's four networks (of 256 in all), picked at random —
 * the same machine in several places at once, as a leaked key looks.
 */
function writeRequests(scratch: string, product: string, honest: SeededDevice[], storm: SeededDevice[]) {
  const honestFile = path.join(scratch, 'honest.jsonl');
  writeFileSync(honestFile, shuffle(honest.map((d, i) => requestLine(d, product, `10.${(i >> 8) & 255}.${i & 255}.10`))).join('\n'));
  const stormFile = path.join(scratch, 'storm.jsonl');
  const lines: string[] = [];
  let n = 0;
  // Each round has every storm licence once, in a new order: a licence's requests spread over the file.
  for (let round = 0; round < 48; round++) {
    for (const [j, d] of shuffle(storm.map((d, j) => [j, d] as const))) {
      n += 1;
      const network = (j * 4 + Math.floor(Math.random() * 4)) % 256;
      lines.push(requestLine(d, product, `172.16.${network}.${1 + (n % 250)}`));
    }
  }
  writeFileSync(stormFile, lines.join('\n'));
  return { honestFile, stormFile };
}

async function staffToken(url: string, admin: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/v1/staff/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (!res.ok) throw new Error(`staff sign-in answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function mean(all: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => all.reduce((s, r) => s + f(r), 0) / all.length;
  return { rps: avg((r) => r.rps), total: avg((r) => r.total), p50: Math.round(avg((r) => r.p50)), p99: Math.round(avg((r) => r.p99)), non2xx: avg((r) => r.non2xx), errors: avg((r) => r.errors), timeouts: avg((r) => r.timeouts), cpuShare: avg((r) => r.cpuShare) };
}

export async function runStormScenario(options: StormOptions = {}): Promise<StormResult> {
  const seconds = options.seconds ?? Number(process.env.BENCH_STORM_SECONDS ?? 8);
  const rounds = options.rounds ?? Number(process.env.BENCH_STORM_ROUNDS ?? 2);
  const connections = options.connections ?? Number(process.env.BENCH_STORM_CONNECTIONS ?? 64);
  const stormCount = options.stormLicences ?? 800;
  const honestCount = options.honestLicences ?? 2000;
  const log = options.log ?? ((line: string) => console.log(line));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nomina-storm-'));
  const bench = await createBenchDatabase('nomina_storm');
  const config = benchConfig({ databaseUrl: bench.url, dataDir: scratch });
  let service: SpawnedService | undefined;
  try {
    // Seeded from this process with the same secrets the service gets, then closed: the service owns the database.
    const db = await openDatabase({ databaseUrl: bench.url, dataDir: scratch, poolSize: 2 });
    const services = buildServices(config, db, createLogger('warn'));
    const client = new Client({ connectionString: bench.url });
    await client.connect();
    const { product, devices } = await seed(client, services, honestCount + stormCount, 1);
    await client.end();
    // The start-up back-fills (search indexes of names and user names) done here, not in the service's start.
    await indexContactNames(services);
    await indexNtUsers(services);
    await services.close();
    await db.close();
    const honest = devices.slice(0, honestCount);
    const storm = devices.slice(honestCount);
    const { honestFile, stormFile } = writeRequests(scratch, product, honest, storm);

    const admin = { email: 'storm.admin@bench.invalid', password: `pw-${randomBytes(12).toString('base64url')}` };
    service = await spawnService({
      databaseUrl: bench.url, dataDir: scratch, secrets: config.secrets,
      // BENCH_STORM_FRAUD=off: the same traffic with fraud signals off — what the storm costs validation alone (diagnosis).
      env: { NOMINA_BOOTSTRAP_ADMIN_EMAIL: admin.email, NOMINA_BOOTSTRAP_ADMIN_PASSWORD: admin.password, NOMINA_FRAUD_SIGNALS: process.env.BENCH_STORM_FRAUD === 'off' ? 'off' : 'on' },
    });
    log(`fraud storm: ${stormCount} licences, each PC from a new address on every request (4 networks each), vs ${honestCount} honest licences; service pid ${service.pid} (${path.relative(process.cwd(), serviceMainJs())}, NODE_ENV=production, LOG_LEVEL=warn); load: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    // Warm-up (JIT, pools) that also lets fraud detection see every honest licence once, as a
    // running service has: honest traffic is measured in its steady state, the storm cold.
    await load(service.url, honestFile, 5, connections);
    await idleAfter(service, 30_000);
    const honestRuns: LoadResult[] = [];
    const stormRuns: LoadResult[] = [];
    const idleAfterHonestMs: (number | null)[] = [];
    const idleAfterStormMs: (number | null)[] = [];
    const backlogAtStormEnd: string[] = [];
    for (let i = 0; i < rounds; i++) {
      honestRuns.push(await load(service.url, honestFile, seconds, connections, service, `honest-${i + 1}`));
      idleAfterHonestMs.push(await idleAfter(service));
      stormRuns.push(await load(service.url, stormFile, seconds, connections, service, `storm-${i + 1}`));
      const at = await scrapeFraudMetrics(service.url);
      backlogAtStormEnd.push(`${at.nomina_fraud_evaluation_backlog ?? '?'} licences, oldest ${(at.nomina_fraud_evaluation_backlog_oldest_seconds ?? 0).toFixed(1)} s`);
      idleAfterStormMs.push(await idleAfter(service));
    }
    const metrics = await scrapeFraudMetrics(service.url);
    const logText = service.output.join('');
    const failedLines = logText.split('\n').filter((l) => l.includes('fraud evaluation failed'));
    const failureCodes = [...new Set(failedLines.map((l) => /"errorCode":"([^"]+)"/.exec(l)?.[1] ?? /"err":"([^"]+)"/.exec(l)?.[1] ?? '?'))];

    const pepper = config.secrets.keyPepper;
    const digests = (ds: SeededDevice[]) => [...new Set(ds.map((d) => keyDigest(pepper, d.key)))];
    const check = new Client({ connectionString: bench.url });
    await check.connect();
    const withAlert = await check.query<{ n: number }>(
      `SELECT count(DISTINCT a."licenceId")::int AS n FROM fraud_alerts a JOIN licences l ON l.id = a."licenceId" WHERE l."keyDigest" = ANY($1) AND a.signal = 'overlap'`, [digests(storm)]);
    const honestAlerts = await check.query<{ n: number }>(
      `SELECT count(DISTINCT a."licenceId")::int AS n FROM fraud_alerts a JOIN licences l ON l.id = a."licenceId" WHERE l."keyDigest" = ANY($1)`, [digests(honest)]);
    const sample = await check.query<{ id: string }>(`SELECT id FROM fraud_alerts WHERE signal = 'overlap' ORDER BY random() LIMIT 10`);
    await check.end();

    const token = await staffToken(service.url, admin);
    const sampled = { read: 0, withEvidence: 0, minOccurrences: Infinity, minItems: Infinity };
    for (const { id } of sample.rows) {
      const res = await fetch(`${service.url}/v1/fraud/alerts/${id}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': 'storm benchmark check' } });
      if (!res.ok) continue;
      const alert = (await res.json()) as { evidence: { items: unknown[]; occurrences: number } | null };
      sampled.read += 1;
      if (alert.evidence && alert.evidence.items.length > 0) sampled.withEvidence += 1;
      sampled.minOccurrences = Math.min(sampled.minOccurrences, alert.evidence?.occurrences ?? 0);
      sampled.minItems = Math.min(sampled.minItems, alert.evidence?.items.length ?? 0);
    }

    const honestMean = mean(honestRuns);
    const stormMean = mean(stormRuns);
    const ratio = stormMean.rps / honestMean.rps;
    const failedEvaluations = metrics.nomina_fraud_evaluation_errors_total ?? 0;
    const result: StormResult = {
      honest: honestMean, storm: stormMean, ratio, idleAfterStormMs, idleAfterHonestMs, backlogAtStormEnd, backlogAtCheck: metrics.nomina_fraud_evaluation_backlog ?? 0,
      failedEvaluations, failedEvaluationLogLines: failedLines.length, failureCodes,
      shedEvaluations: (metrics.nomina_fraud_evaluations_shed_total ?? 0) + (metrics.nomina_fraud_evaluations_dropped_total ?? 0),
      stormLicences: stormCount, licencesWithOverlapAlert: withAlert.rows[0].n, honestLicencesWithAlerts: honestAlerts.rows[0].n,
      sampledAlerts: { ...sampled, minOccurrences: Number.isFinite(sampled.minOccurrences) ? sampled.minOccurrences : 0, minItems: Number.isFinite(sampled.minItems) ? sampled.minItems : 0 },
      targetsMet: false,
    };
    result.targetsMet = ratio >= 0.8 && idleAfterStormMs.every((ms) => ms !== null && ms <= 2000) && failedEvaluations === 0 && failedLines.length === 0
      && result.licencesWithOverlapAlert === stormCount && sampled.read > 0 && sampled.withEvidence === sampled.read;
    printStorm(result, { seconds, rounds, connections }, log);
    return result;
  } catch (error) {
    log(`fraud storm failed: ${error instanceof Error ? error.stack : String(error)}`);
    throw error;
  } finally {
    await service?.stop();
    await bench.drop();
    await onServer(async (c) => { await c.query(`DROP DATABASE IF EXISTS "${bench.name}_keys" WITH (FORCE)`); });
    rmSync(scratch, { recursive: true, force: true });
  }
}

const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(5)} ms   service CPU ${(r.cpuShare * 100).toFixed(0)} % of a core${r.non2xx || r.errors ? `   (non-2xx ${r.non2xx.toFixed(0)}, errors ${r.errors.toFixed(0)})` : ''}`;
const ms = (v: number | null) => (v === null ? '> 10 s' : `${(v / 1000).toFixed(1)} s`);

function printStorm(r: StormResult, run: { seconds: number; rounds: number; connections: number }, log: (line: string) => void) {
  log(`\nfraud storm (own process, ${run.connections} connections, ${run.rounds} × ${run.seconds} s interleaved; load now ${os.loadavg()[0].toFixed(2)})`);
  log(`honest  ${fmt(r.honest)}   idle again after ${r.idleAfterHonestMs.map(ms).join(', ')}`);
  log(`storm   ${fmt(r.storm)}   idle again after ${r.idleAfterStormMs.map(ms).join(', ')}`);
  log(`fraud evaluation backlog when the storm stopped: ${r.backlogAtStormEnd.join('; ')}`);
  log(`storm/honest throughput ratio: ${r.ratio.toFixed(2)} (target ≥ 0.8)`);
  // Less at the mercy of other processes than throughput: what a request costs the service's own core.
  const cpuPerRequest = (l: LoadResult) => (l.cpuShare * 1e6) / l.rps;
  log(`service CPU per request: honest ${cpuPerRequest(r.honest).toFixed(0)} µs, storm ${cpuPerRequest(r.storm).toFixed(0)} µs (honest/storm ${(cpuPerRequest(r.honest) / cpuPerRequest(r.storm)).toFixed(2)})`);
  log(`failed evaluations: ${r.failedEvaluations} (metric), ${r.failedEvaluationLogLines} log lines${r.failureCodes.length ? ` — codes ${r.failureCodes.join(', ')}` : ''}; shed: ${r.shedEvaluations}`);
  log(`overlap alerts: ${r.licencesWithOverlapAlert} of ${r.stormLicences} storm licences (evaluation backlog when counted: ${r.backlogAtCheck} licences); honest licences with an alert: ${r.honestLicencesWithAlerts}`);
  log(`alerts read as staff: ${r.sampledAlerts.withEvidence} of ${r.sampledAlerts.read} with evidence (at least ${r.sampledAlerts.minItems} items, ${r.sampledAlerts.minOccurrences} occurrences)`);
  log(`storm targets (ratio ≥ 0.8, idle ≤ 2 s, 0 failed, every storm licence alerted with evidence): ${r.targetsMet ? 'met' : 'NOT met'}`);
}
