/**
 * What every benchmark sets up the same way: a PostgreSQL database of its own on
 * BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432), migrated as the
 * service migrates, and dropped at the end; and a production-like configuration with fresh
 * random secrets (nothing a benchmark writes can be read afterwards).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Config } from '../../src/config';
import { applyMigrations } from '../../src/db/migrations';
import { developmentPrivacySettings } from '../../src/privacy/privacy-settings';

export const BENCH_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function benchDatabaseUrl(name: string): string {
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection to the server's maintenance database (CREATE and DROP DATABASE). */
export async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: BENCH_SERVER });
  await client.connect();
  try { return await work(client); } finally { await client.end(); }
}

export interface BenchDatabase { name: string; url: string; drop(): Promise<void> }

/** Creates a database named `<prefix>_<time>_<random>` and applies every migration to it. */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = benchDatabaseUrl(name);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations({ query: async (sql, params) => (await client.query(sql, params as unknown[])).rows, exec: async (s) => { await client.query(s); }, release: async () => {} });
  } finally {
    await client.end();
  }
  return { name, url, drop: () => onServer(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`); // the key vault opened beside it
  }) };
}

/** A production configuration (secrets required, logs at warn) with fresh random secrets. */
export function benchConfig(overrides: Partial<Config> = {}): Config {
  const secret = () => randomBytes(32);
  return {
    env: 'production', host: '127.0.0.1', port: 0, dataDir: './data-bench', mailFrom: 'Nomina <bench@nomina.invalid>', publicBaseUrl: 'http://127.0.0.1',
    logLevel: 'warn', trustProxy: 'loopback', staffTokenTtlSeconds: 900, staffSessionIdleSeconds: 1800,
    secrets: { masterKeys: [{ id: 'bench', key: secret() }], indexKey: secret(), keyPepper: secret(), telemetryKey: secret(), tokenSecret: secret() },
    privacy: developmentPrivacySettings(),
    ...overrides,
  };
}
