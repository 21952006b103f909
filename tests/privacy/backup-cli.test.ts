/**
 * `nomina backup create` / `nomina backup restore`, in-process, on real PostgreSQL: a subject
 * erased after the backup stays erased in the restored database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { program } from '../../src/cli/main';
import { eraseSubject } from '../../src/privacy/erasure/erase-subject';
import { databaseUrl, dropTestDatabase, withAdminClient } from '../setup/test-database';
import { buildContact } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { Client } from 'pg';

let h: Harness;
let dir: string;
const target = `nomina_t_clirestore_${Date.now()}`;
const env = { ...process.env };

function useDatabase(url: string) {
  const s = h.config.secrets;
  Object.assign(process.env, {
    DATABASE_URL: url, NOMINA_DATA_DIR: dir, LOG_LEVEL: 'silent',
    NOMINA_MASTER_KEYS: s.masterKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    NOMINA_INDEX_KEY: s.indexKey.toString('base64'), NOMINA_KEY_PEPPER: s.keyPepper.toString('base64'),
    NOMINA_TELEMETRY_KEY: s.telemetryKey.toString('base64'), NOMINA_TOKEN_SECRET: s.tokenSecret.toString('base64'),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nomina-cli-backup-'));
  h = await createHarness({ dataDir: dir });
  jest.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(async () => {
  jest.restoreAllMocks();
  process.env = env;
  await dropTestDatabase(target);
  await h.close();
});

describe('nomina backup', () => {
  it('restores a dump without the subjects erased after it was taken', async () => {
    const erased = await buildContact(h);
    const kept = await buildContact(h);
    const dump = path.join(dir, 'nomina.sql');
    useDatabase(h.databaseUrl);
    await program.parseAsync(['node', 'nomina', 'backup', 'create', '--out', dump]);

    await eraseSubject(h.services, { contactId: erased.id, actor: { type: 'system', id: 'test' }, endRunningLicences: true });

    await withAdminClient((admin) => admin.query(`CREATE DATABASE "${target}"`));
    useDatabase(databaseUrl(target));
    await program.parseAsync(['node', 'nomina', 'backup', 'restore', '--from', dump]);

    const client = new Client({ connectionString: databaseUrl(target) });
    await client.connect();
    try {
      const rows = (await client.query('SELECT id FROM contacts')).rows.map((r: { id: string }) => r.id);
      expect(rows).toContain(kept.id);
      expect(rows).not.toContain(erased.id);
    } finally {
      await client.end();
    }
  });
});
