/**
 * The service as `npm start` runs it: `node dist/src/main.js` in a child process, on a free port,
 * with its own data directory and — for PostgreSQL — its own database cloned from the migrated
 * test template. The first admin comes from NOMINA_BOOTSTRAP_ADMIN_*, as for an operator.
 *
 *   const service = await startService({ database: 'embedded', smtpUrl: mail.url });
 *   afterAll(() => service.stop());
 *   await service.api.get('/readyz').expect(200);
 *
 * `npm test` builds dist/ before jest runs; a missing build fails here with a clear message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { databaseUrl } from '../setup/test-database';
import { createTestDatabase, dropTestDatabase } from './harness';

export type DatabaseKind = 'postgres' | 'embedded';

export const MAIN_JS = path.resolve(__dirname, '../../dist/src/main.js');

export interface ServiceOptions {
  database: DatabaseKind;
  smtpUrl?: string;
  /** an existing PostgreSQL database to use instead of a fresh clone (two instances on one database) */
  databaseUrl?: string;
  dataDir?: string;
  /** the first admin (NOMINA_BOOTSTRAP_ADMIN_*); a random one when not given */
  admin?: { email: string; password: string };
  env?: Record<string, string>;
}

export interface ServiceProcess {
  kind: DatabaseKind;
  url: string;
  api: TestAgent;
  dataDir: string;
  databaseUrl?: string;
  admin: { email: string; password: string };
  /** everything the process wrote on stdout and stderr (pino lines), for diagnosis */
  output: string[];
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` (npm test does it first)`);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), `nomina-svc-${options.database}-`));
  const ownDatabase = options.database === 'postgres' && !options.databaseUrl ? await createTestDatabase() : undefined;
  const url = options.databaseUrl ?? (ownDatabase ? databaseUrl(ownDatabase) : undefined);
  const admin = options.admin ?? { email: `admin.${randomBytes(4).toString('hex')}@vendor.test`, password: `pw-${randomBytes(12).toString('base64url')}` };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    // PORT=0: the system picks a free port and the service logs it. Choosing one here and passing it
    // on races every other listener on the machine (supertest opens one per request).
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', NOMINA_DATA_DIR: dataDir, LOG_LEVEL: 'info',
    NOMINA_BOOTSTRAP_ADMIN_EMAIL: admin.email, NOMINA_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    ...(url ? { DATABASE_URL: url } : {}),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--enable-source-maps', MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => output.push(String(c)));
  child.stderr?.on('data', (c: Buffer) => output.push(String(c)));
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    // A service that dies under a test explains itself, instead of leaving "ECONNREFUSED" behind.
    if (!stopping) console.error(`the ${options.database} service exited unexpectedly (${code}):\n${output.join('').slice(-4000)}`);
    resolve(code);
  }));
  const stop = async () => {
    stopping = true;
    await stopChild(child, exited);
    if (ownDatabase) await dropTestDatabase(ownDatabase);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await listeningPort(output, exited);
    await waitUntilReady(`http://127.0.0.1:${port}`, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  const base = `http://127.0.0.1:${port}`;
  return { kind: options.database, url: base, api: request(base), dataDir, databaseUrl: url, admin, output, exited, stop };
}

/** The port from the service's "Nomina listening on http://host:port" line. */
async function listeningPort(output: string[], exited: Promise<number | null>, timeoutMs = 60_000): Promise<number> {
  let code: number | null | undefined;
  void exited.then((c) => { code = c; });
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const match = /Nomina listening on http:\/\/[^:]+:(\d+)/.exec(output.join(''));
    if (match) return Number(match[1]);
    if (code !== undefined) throw new Error(`the service exited with ${code} before it listened:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the service did not listen within ${timeoutMs} ms:\n${output.join('')}`);
}

async function waitUntilReady(base: string, exited: Promise<number | null>, output: string[], timeoutMs = 60_000): Promise<void> {
  let code: number | null | undefined;
  void exited.then((c) => { code = c; });
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (code !== undefined) throw new Error(`the service exited with ${code} before it was ready:\n${output.join('')}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service was not ready within ${timeoutMs} ms:\n${output.join('')}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
  await exited;
  clearTimeout(timer);
}
