/**
 * The service as `npm start` runs it: `node dist/src/main.js` in a child process (built by
 * `npm test`'s pretest), on a free port, on the embedded database in a temporary NOMINA_DATA_DIR
 * or on a PostgreSQL test database; the first admin from NOMINA_BOOTSTRAP_ADMIN_*. Seeding goes
 * through the public API only, as an integration would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
export const ADMIN = { email: 'admin@vendor.test', password: 'admin-password-for-tests' };

export interface RunningService { baseUrl: string; stop(): Promise<void>; output: string[] }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startService(options: { databaseUrl?: string } = {}): Promise<RunningService> {
  // A free port can be taken by another process before the service binds it: try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOnce(options: { databaseUrl?: string }): Promise<RunningService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nomina-console-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port),
    NOMINA_DATA_DIR: dataDir, LOG_LEVEL: 'info', TZ: 'Europe/Brussels',
    NOMINA_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, NOMINA_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the service exited (${child.exitCode}):\n${output.join('')}`);
    }
    // Our child must say it listens before /readyz counts: another process could hold the port for a moment.
    const listening = output.join('').includes(`"port":${port}`);
    try {
      if (listening && (await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`the service did not become ready:\n${output.join('')}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl, output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 10_000); })]);
        clearTimeout(timer);
        if (child.exitCode === null) { child.kill('SIGKILL'); await exited; }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small client of the public API with a bearer token, as a script would use it. */
export class ApiClient {
  constructor(private readonly baseUrl: string, private token: string | null = null) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const res = await client.call<{ token: string }>('POST', '/v1/staff/sessions', { email, password });
    client.token = res.token;
    return client;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
