import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { applyMigrations, pendingMigrations, readMigrationFiles } from '../../src/db/migrations';
import { databaseUrl, withAdminClient } from '../setup/test-database';
import { dropTestDatabase } from '../support/harness';

describe('migrations on PostgreSQL', () => {
  const name = `nomina_t_migr_${Date.now()}`;
  afterAll(() => dropTestDatabase(name));

  it('migrates an empty database, then finds nothing to do on an already-migrated one', async () => {
    await withAdminClient((admin) => admin.query(`CREATE DATABASE "${name}"`));
    const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: 'unused' });
    const conn = await db.connect();
    try {
      const files = readMigrationFiles();
      expect(await pendingMigrations(conn)).toEqual(files.map((f) => f.name));
      const first = await applyMigrations(conn);
      expect(first.applied).toEqual(files.map((f) => f.name));
      const second = await applyMigrations(conn);
      expect(second).toEqual({ applied: [], alreadyApplied: files.length, warnings: [] });
      const history = await conn.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(history.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    } finally {
      await conn.release();
      await db.close();
    }
  });

  it('rolls a failing migration back entirely and records nothing', async () => {
    const broken = `nomina_t_broken_${Date.now()}`;
    await withAdminClient((admin) => admin.query(`CREATE DATABASE "${broken}"`));
    const db = await openDatabase({ databaseUrl: databaseUrl(broken), dataDir: 'unused' });
    const conn = await db.connect();
    try {
      const bad = [{ name: '20000101000000_bad', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();', checksum: 'x' }];
      await expect(applyMigrations(conn, bad)).rejects.toThrow(/rolled back/);
      expect(await conn.query(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
      expect(await conn.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).toEqual([{ n: 0 }]);
    } finally {
      await conn.release();
      await db.close();
      await dropTestDatabase(broken);
    }
  });
});

// Each test below creates a fresh embedded data directory (initdb, then every migration) one or
// more times: 5.5–11 s each when the file runs alone on a 2-core machine, but the lock test passed
// jest's 30 s default in a clean-clone CI run (parallel workers, other work on the machine). A slow
// machine is not a failure of what they check, so their own limit is generous.
const EMBEDDED_TIMEOUT_MS = 180_000;

describe('migrations on embedded PostgreSQL (PGlite)', () => {
  it('migrates a fresh data directory and keeps data across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-pglite-'));
    try {
      let db = await openDatabase({ dataDir: dir });
      let conn = await db.connect();
      expect((await applyMigrations(conn)).applied.length).toBe(readMigrationFiles().length);
      await db.prisma.product.create({ data: { code: 'EMB', name: 'Embedded' } });
      await db.close();

      db = await openDatabase({ dataDir: dir });
      conn = await db.connect();
      expect((await applyMigrations(conn)).applied).toEqual([]);
      expect(await pendingMigrations(conn)).toEqual([]);
      expect((await db.prisma.product.findUnique({ where: { code: 'EMB' } }))?.name).toBe('Embedded');
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, EMBEDDED_TIMEOUT_MS);
});

describe('the embedded data directory', () => {
  it('admits one process at a time, with a clear message for the second', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by process \d+ \(is the service running\? stop it first; if no such process is Nomina, delete .*nomina\.lock\)/);
      await first.close();
      const again = await openDatabase({ dataDir: dir }); // released on close
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, EMBEDDED_TIMEOUT_MS);

  it('takes over the lock of a process that died', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nomina-lock-'));
    try {
      writeFileSync(path.join(dir, 'nomina.lock'), '999999999');
      const db = await openDatabase({ dataDir: dir });
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, EMBEDDED_TIMEOUT_MS);
});
