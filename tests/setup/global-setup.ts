import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../../src/db/migrations';
import { databaseUrl, withAdminClient } from './test-database';

export default async function globalSetup(): Promise<void> {
  const name = `nomina_tpl_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withAdminClient(async (admin) => {
    // Templates of runs that crashed before their teardown.
    const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'nomina\\_t%' AND NOT datistemplate`);
    for (const row of stale.rows as { datname: string }[]) {
      const age = Date.now() - Number(row.datname.split('_')[2] ?? Date.now());
      if (Number.isFinite(age) && age > 6 * 3600_000) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const client = new Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    await applyMigrations({
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
      exec: async (script) => { await client.query(script); },
      release: async () => {},
    });
  } finally {
    await client.end();
  }
  process.env.NOMINA_TEST_TEMPLATE = name;
}
