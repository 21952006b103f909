/**
 * Servers in processes of their own, as users run them: the service exactly as `npm start` runs
 * it (`node` with `npm start`'s flags and `dist/src/main.js`, production configuration, real PostgreSQL),
 * and the baseline (baseline-server.ts). Both pinned to the first CPU when `taskset` exists, the
 * load generator to the second (load-generator.ts, paced-load.ts): the server under test gets one
 * core, as in the measurement of issue 15; PostgreSQL is not pinned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config';
import { startScriptNodeFlags } from './spawn-service';

const TASKSET = '/usr/bin/taskset';
/** CPU lists for the server and the load generator; null when pinning is not possible. */
export const PINNING = os.cpus().length >= 2 && existsSync(TASKSET) ? { server: '0', load: '1' } : null;

/** `command args` under `taskset -c cpus` when pinning is possible. */
export function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return PINNING && cpus ? [TASKSET, ['-c', cpus, command, ...args]] : [command, args];
}

export interface ServerProcess { name: string; url: string; pid: number; output: string[]; stop(): Promise<void> }

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The TCP port `pid` listens on, from /proc (its socket inodes matched against /proc/net/tcp);
 * null until it listens. With PORT=0 the system picks a port nobody else holds: a port chosen
 * here and passed on could be taken meanwhile by another process on this shared machine.
 */
function listeningPort(pid: number): number | null {
  let inodes: Set<string>;
  try {
    inodes = new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]; } catch { return undefined; } }).filter((i): i is string => Boolean(i)));
  } catch {
    return null;
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] === '0A' && inodes.has(f[9])) return parseInt(f[1].split(':')[1], 16); // 0A: LISTEN
  }
  return null;
}

/** Starts `node args` and waits until `ready` answers (the service logs nothing at warn on start). */
async function start(name: string, args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ServerProcess> {
  const withProc = existsSync('/proc/net/tcp');
  env = { ...env, PORT: withProc ? '0' : String(await freePort()) };
  const [command, argv] = pinned(PINNING?.server, process.execPath, args);
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => { output.push(String(chunk)); if (output.length > 2000) output.splice(0, 1000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // BENCH_SERVICE_OUTPUT=<dir>: each server's whole output kept in <dir>/<pid>.log (with
  // BENCH_SERVICE_NODE_ARGS="--trace-gc", say), beside the last chunks kept here for errors.
  if (process.env.BENCH_SERVICE_OUTPUT) {
    const file = createWriteStream(path.join(process.env.BENCH_SERVICE_OUTPUT, `${child.pid}.log`));
    file.write(`${name}\n`);
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  let url = withProc ? '' : `http://127.0.0.1:${env.PORT}`;
  for (const until = Date.now() + 180_000; ;) {
    if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode} before it was ready:\n${output.join('').slice(-3000)}`);
    if (!url) {
      const port = listeningPort(child.pid!);
      if (port) url = `http://127.0.0.1:${port}`;
    }
    if (url && await fetch(url + ready).then((r) => r.ok, () => false)) break;
    if (Date.now() > until) { await stopChild(child, exited); throw new Error(`${name} not ready in 180 s (${url || 'not listening'}):\n${output.join('').slice(-3000)}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, url, pid: child.pid!, output, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The built service on `config`'s database and secrets (so it reads what the seed wrote), with
 * production settings: NODE_ENV=production, fraud signals as given, LOG_LEVEL as given.
 */
export function startService(config: Config, options: { logLevel: string; fraudSignals: 'on' | 'off'; scratch: string; label: string; env?: NodeJS.ProcessEnv; mainJs?: string }): Promise<ServerProcess> {
  const mainJs = options.mainJs ?? path.resolve(__dirname, '../../src/main.js');
  const privacyFile = path.join(options.scratch, 'privacy.json');
  const { controller, dpo, subProcessors, timeZone } = config.privacy;
  writeFileSync(privacyFile, JSON.stringify({ controller, dpo, subProcessors, timeZone }));
  const b64 = (key: Buffer) => key.toString('base64');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: options.logLevel,
    DATABASE_URL: config.databaseUrl, NOMINA_DATA_DIR: path.join(options.scratch, options.label), TRUST_PROXY: config.trustProxy,
    NOMINA_MASTER_KEYS: config.secrets.masterKeys.map((k) => `${k.id}:${b64(k.key)}`).join(','),
    NOMINA_INDEX_KEY: b64(config.secrets.indexKey), NOMINA_KEY_PEPPER: b64(config.secrets.keyPepper),
    NOMINA_TELEMETRY_KEY: b64(config.secrets.telemetryKey), NOMINA_TOKEN_SECRET: b64(config.secrets.tokenSecret),
    NOMINA_FRAUD_SIGNALS: options.fraudSignals, NOMINA_PRIVACY_CONFIG: privacyFile,
    MAIL_FROM: config.mailFrom, METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...options.env,
  };
  // BENCH_SERVICE_NODE_ARGS: extra Node flags for the service under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return start(`service ${options.label} (LOG_LEVEL=${options.logLevel})`, [...extra, ...startScriptNodeFlags(), mainJs], env, '/readyz');
}

/** The bearer token of the own-process services' /metrics. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The service's nomina_fraud_* samples from /metrics, summed over their labels. */
export async function scrapeFraudMetrics(url: string, token?: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).text();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(nomina_fraud_[a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match) values[match[1]] = (values[match[1]] ?? 0) + Number(match[2]);
  }
  return values;
}

/**
 * The baseline (baseline-server.ts) in its own process, on the same database and key pepper;
 * `expressObjects`: on the service's server instead of Express's default one (comparison only).
 */
export function startBaseline(config: Config, poolSize: number, options: { expressObjects?: boolean } = {}): Promise<ServerProcess> {
  const env = { ...lookupServerEnv(config, poolSize), ...(options.expressObjects ? { BASELINE_SERVER: 'express-objects' } : {}) };
  return start(options.expressObjects ? 'baseline (Express objects)' : 'baseline', [path.join(__dirname, 'baseline-server.js')], env, '/ready');
}

/**
 * A floor server (floor-server.ts) in its own process, on the same database and key pepper:
 * `lookup` does the baseline's one lookup, `contract` validate's contract done plainly.
 */
export function startFloor(config: Config, poolSize: number, work: 'lookup' | 'contract' = 'lookup'): Promise<ServerProcess> {
  const name = work === 'lookup' ? 'floor (node:http, one prepared lookup)' : 'contract, plainly (node:http, lookup, signature, event write)';
  return start(name, [path.join(__dirname, 'floor-server.js')], { ...lookupServerEnv(config, poolSize), FLOOR_WORK: work }, '/ready');
}

/** The environment of the bench's own lookup servers (baseline-server.ts, floor-server.ts). */
function lookupServerEnv(config: Config, poolSize: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
    DATABASE_URL: config.databaseUrl, KEY_PEPPER: config.secrets.keyPepper.toString('base64'), POOL_SIZE: String(poolSize),
  };
}

/** CPU seconds (user + system) the process has used so far, from /proc; null where there is no /proc. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}
