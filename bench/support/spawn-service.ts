/**
 * The service as `npm start` runs it — `node <its flags> dist/src/main.js` in a process of its own, with
 * NODE_ENV=production, real PostgreSQL and the given secrets — for benchmarks that must measure
 * what users run (a separate event loop, its own CPU time read from /proc/<pid>/stat).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Secrets } from '../../src/crypto/secrets';

export const MAIN_JS = path.resolve(__dirname, '../../src/main.js');

/**
 * The Node flags `npm start` runs the service with (package.json's start script, which the
 * Dockerfile's CMD repeats — a test keeps them equal): the benchmarks run it with the same ones.
 */
export function startScriptNodeFlags(): string[] {
  // From dist/bench/support (the built benchmarks) or bench/support (run from source).
  const file = ['../../../package.json', '../../package.json'].map((p) => path.resolve(__dirname, p)).find((p) => existsSync(p) && /"name": "nomina"/.test(readFileSync(p, 'utf8')));
  if (!file) throw new Error(`package.json not found above ${__dirname}`);
  const packageJson = JSON.parse(readFileSync(file, 'utf8')) as { scripts: { start: string } };
  return packageJson.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}
/** The service's entry point: this build's, or BENCH_SERVICE_MAIN's. */
export const serviceMainJs = () => path.resolve(process.env.BENCH_SERVICE_MAIN ?? MAIN_JS);

export interface SpawnedService {
  url: string;
  pid: number;
  /** everything the process wrote (pino lines at LOG_LEVEL), for counting warnings */
  output: string[];
  /** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export function secretsEnv(secrets: Secrets): Record<string, string> {
  return {
    NOMINA_MASTER_KEYS: secrets.masterKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    NOMINA_INDEX_KEY: secrets.indexKey.toString('base64'),
    NOMINA_KEY_PEPPER: secrets.keyPepper.toString('base64'),
    NOMINA_TELEMETRY_KEY: secrets.telemetryKey.toString('base64'),
    NOMINA_TOKEN_SECRET: secrets.tokenSecret.toString('base64'),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export async function spawnService(options: { databaseUrl: string; dataDir: string; secrets: Secrets; env?: Record<string, string> }): Promise<SpawnedService> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: options.databaseUrl,
    NOMINA_DATA_DIR: options.dataDir, LOG_LEVEL: 'warn', TRUST_PROXY: 'loopback', NOMINA_FRAUD_SIGNALS: 'on',
    MAIL_FROM: 'Nomina <bench@nomina.invalid>', PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    NOMINA_CONTROLLER_NAME: 'Bench BV', NOMINA_CONTROLLER_ADDRESS: 'Benchstraat 1, 1000 Brussel',
    NOMINA_CONTROLLER_ENTERPRISE_NUMBER: '0123.456.789', NOMINA_DPO_NAME: 'Bench DPO', NOMINA_DPO_EMAIL: 'dpo@bench.invalid',
    NOMINA_SUB_PROCESSORS: JSON.stringify([{ name: 'Bench hosting', service: 'hosting', location: 'BE', categories: ['licence_data'] }]),
    ...secretsEnv(options.secrets),
    ...options.env,
  };
  // BENCH_SERVICE_NODE_ARGS: extra Node flags for the service (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const extra = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // BENCH_SERVICE_MAIN: another build's main.js (e.g. main's, built into dist-base/), to compare builds in one session, interleaved.
  const child = spawn(process.execPath, [...extra, ...startScriptNodeFlags(), serviceMainJs()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => output.push(String(c)));
  child.stderr?.on('data', (c: Buffer) => output.push(String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let code: number | null | undefined;
  void exited.then((c) => { code = c; });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (code !== undefined) throw new Error(`the service exited with ${code}:\n${output.join('').slice(-4000)}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > until) { child.kill('SIGKILL'); throw new Error(`the service was not ready in 60 s:\n${output.join('').slice(-4000)}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, pid: child.pid!, output,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
