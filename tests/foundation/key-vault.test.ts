/**
 * The key vault keeps the subjects' data keys out of the main database (issue: a plain pg_dump
 * plus the master key brought erased subjects back).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openFileKeyVault } from '../../src/crypto/key-vault';
import { openDatabase } from '../../src/db/database';
import { databaseUrl } from '../setup/test-database';
import { createTestDatabase, dropTestDatabase } from '../support/harness';

describe('the key vault on PostgreSQL', () => {
  it('is a database of its own, and keys an earlier version kept in the main database move into it once', async () => {
    const name = await createTestDatabase();
    try {
      const subjectId = randomUUID();
      const destroyedId = randomUUID();
      const wrapped = randomBytes(60);
      // An earlier version's keys, in the table the migration renamed (the template is migrated, not yet opened).
      const main = new Client({ connectionString: databaseUrl(name) });
      await main.connect();
      await main.query(`INSERT INTO legacy_subject_keys ("subjectId", "wrappedKey", "masterKeyId") VALUES ($1, $2, 'k1'), ($3, NULL, 'k1')`, [subjectId, wrapped, destroyedId]);
      await main.end();

      const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: 'unused' });
      try {
        expect(db.keyVault.location).toBe(`PostgreSQL 127.0.0.1:5432/${name}_keys`);
        expect((await db.keyVault.find(subjectId))?.wrappedKey?.equals(wrapped)).toBe(true);
        expect((await db.keyVault.find(destroyedId))?.wrappedKey).toBeNull();
        const [{ present }] = await db.prisma.$queryRawUnsafe<{ present: boolean }[]>(`SELECT to_regclass('legacy_subject_keys') IS NOT NULL AS present`);
        expect(present).toBe(false);
        const tables = await db.prisma.$queryRawUnsafe<{ t: string }[]>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE '%subject_keys%'`);
        expect(tables).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await dropTestDatabase(name);
    }
  });
});

describe('the key vault of the embedded database', () => {
  it('is a file beside the data; a destroyed key is gone from it at once and stays gone after a restart', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nomina-vault-')), 'key-vault.json');
    const vault = await openFileKeyVault(file);
    const kept = randomUUID();
    const erased = randomUUID();
    const erasedKey = randomBytes(60);
    await Promise.all([vault.insertIfAbsent(kept, randomBytes(60), 'k1'), vault.insertIfAbsent(erased, erasedKey, 'k1'), vault.insertIfAbsent(erased, randomBytes(60), 'k1')]);
    expect(readFileSync(file, 'utf8')).toContain(erasedKey.toString('base64'));
    await vault.destroy(erased, 'k1', new Date());
    await vault.close();
    expect(readFileSync(file, 'utf8')).not.toContain(erasedKey.toString('base64'));
    const reopened = await openFileKeyVault(file);
    expect((await reopened.find(erased))).toMatchObject({ wrappedKey: null, destroyedAt: expect.any(Date) });
    expect((await reopened.find(kept))?.wrappedKey).toHaveLength(60);
  });
});
