/**
 * Test databases on the real PostgreSQL: one migrated template per run, and a fresh database
 * per test file cloned from it (CREATE DATABASE … TEMPLATE is a file copy: ~50 ms).
 */
import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a test database and its key vault (`<name>_keys`, created beside it on open). */
export async function dropTestDatabase(name: string): Promise<void> {
  await withAdminClient(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`);
  });
}

export function templateName(): string {
  const name = process.env.NOMINA_TEST_TEMPLATE;
  if (!name) throw new Error('NOMINA_TEST_TEMPLATE is not set: run the tests through jest (global setup)');
  return name;
}
