/**
 * The service as `npm start` runs it — `node dist/src/main.js` in a child process (npm test
 * builds first) — on a free port, with the embedded database in a temporary data directory or
 * on a PostgreSQL test database cloned from the run's migrated template.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseUrl, dropTestDatabase, templateName, withAdminClient } from '../../setup/test-database';

export type DatabaseKind = 'embedded' | 'postgres';

export interface RunningService {
  url: string;
  admin: { email: string; password: string };
  /** everything the process wrote to stdout and stderr */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startService(kind: DatabaseKind, extraEnv: Record<string, string>): Promise<RunningService> {
  const main = path.join(ROOT, 'dist/src/main.js');
  if (!existsSync(main) || !existsSync(path.join(ROOT, 'dist/web/privacy/index.html'))) {
    throw new Error('the service is not built: run npm run build (npm test does it first)');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nomina-web-'));
  let database: string | null = null;
  if (kind === 'postgres') {
    database = `nomina_t_web_${randomBytes(4).toString('hex')}`;
    await withAdminClient((admin) => admin.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`));
  }
  const admin = { email: 'admin@vendor.test', password: `pw-${randomBytes(12).toString('base64url')}` };

  // Another process may take the free port before the child binds it: then the child exits
  // (EADDRINUSE) and we try another port. Ready means: this child logged that it listens on
  // this port, and /readyz answers — not just any server on the port.
  let started: { child: ChildProcess; url: string; output: () => string; exited: Promise<void> } | null = null;
  for (let attempt = 1; !started; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port),
      NOMINA_DATA_DIR: dataDir, LOG_LEVEL: 'info', PUBLIC_BASE_URL: url,
      NOMINA_BOOTSTRAP_ADMIN_EMAIL: admin.email, NOMINA_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      ...(database ? { DATABASE_URL: databaseUrl(database) } : {}),
      ...extraEnv,
    };
    const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const until = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) {
        if (attempt < 3 && /EADDRINUSE/.test(output)) break;
        throw new Error(`the service exited (${child.exitCode}):\n${output}`);
      }
      if (output.includes(`listening on ${url}`)) {
        const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
        if (ready) { started = { child, url, output: () => output, exited }; break; }
      }
      if (Date.now() > until) { child.kill('SIGKILL'); throw new Error(`the service did not become ready:\n${output}`); }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const { child, url, output, exited } = started;

  return {
    url, admin, output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (database) await dropTestDatabase(database); // and the key vault the service opened beside it
    },
  };
}
