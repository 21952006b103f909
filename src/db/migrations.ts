/**
 * Applies pending Prisma migrations, offline, on PostgreSQL and on embedded PGlite.
 *
 * Prisma's `migrate deploy` needs a native engine we cannot download, so this small runner does
 * what it does and keeps its bookkeeping: `_prisma_migrations` with the same columns and
 * checksums, so a machine with the native CLI reads the same history as in sync.
 * - Each migration runs in its own transaction: a failure leaves the database as it was.
 * - A session advisory lock (Prisma's key) keeps two starting instances from migrating at once.
 * - A failed row written by Prisma's CLI stops us: that needs a human (`prisma migrate resolve`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlConnection } from './sql-connection';
import { MIGRATIONS_DIR } from './project-root';

const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile { name: string; sql: string; checksum: string }

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

interface HistoryRow { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }

export interface MigrationReport { applied: string[]; alreadyApplied: number; warnings: string[] }

export async function applyMigrations(conn: SqlConnection, files = readMigrationFiles()): Promise<MigrationReport> {
  await conn.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
  try {
    await conn.exec(CREATE_HISTORY);
    const history = await conn.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new Error(`migration ${failed.migration_name} failed earlier; resolve it before starting (prisma migrate resolve)`);
    }
    const done = new Map(history.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: 0, warnings: [] };
    for (const file of files) {
      const checksum = done.get(file.name);
      if (checksum !== undefined) {
        report.alreadyApplied += 1;
        if (checksum !== file.checksum) report.warnings.push(`migration ${file.name} was edited after it was applied`);
        continue;
      }
      await applyOne(conn, file);
      report.applied.push(file.name);
    }
    return report;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
  }
}

async function applyOne(conn: SqlConnection, file: MigrationFile): Promise<void> {
  await conn.exec('BEGIN');
  try {
    await conn.exec(file.sql);
    await conn.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
    await conn.exec('COMMIT');
  } catch (error) {
    await conn.exec('ROLLBACK');
    throw new Error(`migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
  }
}

/** Names of migrations in the folder that the database has not finished applying. */
export async function pendingMigrations(conn: SqlConnection, files = readMigrationFiles()): Promise<string[]> {
  const exists = await conn.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!exists[0]?.present) return files.map((f) => f.name);
  const rows = await conn.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return files.filter((f) => !done.has(f.name)).map((f) => f.name);
}
