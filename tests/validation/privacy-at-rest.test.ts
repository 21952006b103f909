import { Client } from 'pg';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { validate, validateBody } from './validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness({ logLevel: 'info' }); });
afterAll(() => h.close());

/** Every row of every table, as text, read with raw SQL behind the application's back. */
async function wholeDatabaseAsText(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    const dumps: string[] = [];
    for (const { tablename } of tables.rows as { tablename: string }[]) {
      const rows = await client.query(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      dumps.push(...rows.rows.map((r: { row: string }) => r.row));
    }
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

describe('what validation stores', () => {
  it('keeps no plaintext PC name, MAC, NT account or licence key anywhere in the database or the logs', async () => {
    const { key, product } = await buildLicence(h, { policy: { maxMachines: 3 } });
    const secrets = { pcName: 'WS-CONFIDENTIAL-77', mac: '00:1B:63:84:45:E6', ntUsername: 'marie.dubois', ntDomain: 'MINFIN' };
    await validate(h, validateBody(key, product.code, { ...secrets, macAddresses: [secrets.mac] })).expect(200);
    // … and through the slow path too: a docking-station MAC and a rename.
    await validate(h, validateBody(key, product.code, { ...secrets, pcName: 'WS-RENAMED-78', macAddresses: [secrets.mac, '00:1B:63:84:45:E7'] })).expect(200);

    const stored = (await wholeDatabaseAsText(h.databaseUrl)).toLowerCase();
    const logs = h.logs.join('\n').toLowerCase();
    expect(stored.length).toBeGreaterThan(1000);
    const needles = [secrets.pcName, 'ws-renamed-78', secrets.mac, secrets.mac.replace(/:/g, ''), '00:1b:63:84:45:e7', secrets.ntUsername, key, key.replace(/-/g, ''), key.slice(-10)];
    for (const needle of needles) {
      expect({ needle, inDatabase: stored.includes(needle.toLowerCase()), inLogs: logs.includes(needle.toLowerCase()) }).toEqual({ needle, inDatabase: false, inLogs: false });
    }
  });
});
