import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.NOMINA_TEST_TEMPLATE;
  if (!name) return;
  await withAdminClient(async (admin) => {
    const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`nomina_t_${name.split('_').slice(2).join('_')}%`]);
    for (const row of left.rows as { datname: string }[]) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
