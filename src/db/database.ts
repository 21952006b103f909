/**
 * The database in its two forms (docs/architecture.md §9): PostgreSQL when DATABASE_URL is set, otherwise
 * embedded PostgreSQL (PGlite, in-process) in the data directory. Same schema, same migrations,
 * same Prisma client; only the driver adapter differs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { describePostgres, moveLegacySubjectKeys, openFileKeyVault, openPostgresKeyVault, type KeyVault } from '../crypto/key-vault';
import { lockDataDir } from './data-dir-lock';
import { connectPg, connectPglite, type SqlConnection } from './sql-connection';
import { assertOutsideTransaction, disciplinedTransactions, guardedAdapter } from './transactions';

export type DatabaseKind = 'postgres' | 'embedded';

/** How long an idle PostgreSQL connection of the main pool stays open (see openPostgres). */
const IDLE_CONNECTION_MS = 5 * 60_000;

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** the subjects' wrapped data keys, kept apart from the data (src/crypto/key-vault.ts) */
  keyVault: KeyVault;
  /** where the data is, for people (never a password) */
  location: string;
  /** A raw connection for migrations and maintenance; release it after use. */
  connect(): Promise<SqlConnection>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string; dataDir: string; poolSize?: number; keyVaultUrl?: string;
  /**
   * PostgreSQL only: refuse a second connection from inside a transaction (src/db/transactions.ts);
   * default on. The embedded database always refuses it (there it would wait for itself).
   */
  transactionGuard?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.poolSize ?? 10, options.keyVaultUrl, options.transactionGuard ?? true)
    : await openEmbedded(options.dataDir);
  await moveKeysIntoVault(db);
  return db;
}

/** Moves data keys an earlier version kept in the main database into the vault (once; cheap when done). */
export async function moveKeysIntoVault(db: Database): Promise<number> {
  const conn = await db.connect();
  try {
    return await moveLegacySubjectKeys((sql, params) => conn.query(sql, params), db.keyVault);
  } finally {
    await conn.release();
  }
}

async function openPostgres(url: string, max: number, keyVaultUrl: string | undefined, guard: boolean): Promise<Database> {
  const keyVault = await openPostgresKeyVault(url, keyVaultUrl);
  // Idle connections stay open for minutes, not pg's default 10 s: the work on this pool comes in
  // spells (fraud evaluations, the webhook poll, a metrics scrape), and a connection closed
  // between two spells is opened again by the next one. A new PostgreSQL connection costs the
  // server ≈ 30–35 ms of CPU (a process forked, its catalog caches filled), in slices of 5–8 ms
  // that took the validation server's core under load (perf sched on a 2-core machine,
  // bench/README.md, fifth pass). At most `max` stay open, as before; an idle pool does not keep a
  // command-line tool's process alive (allowExitOnIdle), as pg's 10 s timer never did for long.
  const pool = new Pool({ connectionString: url, max, idleTimeoutMillis: IDLE_CONNECTION_MS, allowExitOnIdle: true });
  // An idle connection closed by the server (restart, failover, pg_terminate_backend) must not
  // crash the process: the pool drops it and opens a new one on the next query.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool);
  const prisma = disciplinedTransactions(new PrismaClient({ adapter: guard ? guardedAdapter(adapter) : adapter }), { guard });
  return {
    kind: 'postgres',
    prisma,
    keyVault,
    location: describePostgres(url),
    connect: () => {
      assertOutsideTransaction('a raw connection');
      return connectPg(pool);
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await keyVault.close();
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  // Loaded lazily: PGlite is an ES module with a WebAssembly build; PostgreSQL users never pay for it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const inMemory = dataDir === 'memory://';
  const dir = inMemory ? dataDir : path.resolve(dataDir, 'pgdata');
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(path.resolve(dataDir));
  let pglite: Awaited<ReturnType<typeof PGlite.create>>;
  let keyVault: KeyVault;
  try {
    pglite = await PGlite.create(dir);
    // The key vault is a file of its own beside the data, never inside it.
    keyVault = await openFileKeyVault(inMemory ? null : path.resolve(dataDir, 'key-vault.json'));
  } catch (error) {
    unlock();
    throw error;
  }
  // Same class at runtime; its ESM and CJS typings differ, hence the casts.
  const prisma = disciplinedTransactions(new PrismaClient({ adapter: guardedAdapter(new PrismaPGlite(pglite as never)) }), { guard: true });
  return {
    kind: 'embedded',
    prisma,
    keyVault,
    location: inMemory ? 'embedded database (in memory)' : `embedded database in ${dir}`,
    connect: async () => {
      assertOutsideTransaction('a raw connection');
      return connectPglite(pglite as never);
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await keyVault.close();
      unlock();
    },
  };
}
