/**
 * The key vault: where the subjects' wrapped data keys live, apart from the data they unlock.
 *
 * Crypto-shredding only reaches backups if a backup of the data never holds the keys. So the keys
 * are not in the main database at all: an ordinary `pg_dump` of it (or a copy of its files) can
 * never bring an erased person back, whoever also holds the master key. They live
 *
 * - on PostgreSQL, in a database of their own (`NOMINA_KEYVAULT_URL`; by default the main
 *   database's name + `_keys` on the same server, created on first start) — give it its own role
 *   in production so that the main database's role and its dumps cannot read it;
 * - on the embedded database, in its own file, `<data dir>/key-vault.json`.
 *
 * The vault is backed up on its own, as one snapshot file replaced after every erasure
 * (src/privacy/backup/key-store.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { Client, Pool } from 'pg';

export interface SubjectKeyRow {
  subjectId: string;
  /** null once destroyed (the row stays as proof of shredding) */
  wrappedKey: Buffer | null;
  masterKeyId: string;
  createdAt: Date;
  destroyedAt: Date | null;
}

export interface KeyVault {
  /** where the keys are, for people (never a password) */
  readonly location: string;
  find(subjectId: string): Promise<SubjectKeyRow | null>;
  /** stores a new key unless the subject has one (or had one): concurrent first uses keep one */
  insertIfAbsent(subjectId: string, wrappedKey: Buffer, masterKeyId: string): Promise<void>;
  /** crypto-shredding: the key material is overwritten; idempotent */
  destroy(subjectId: string, masterKeyId: string, at: Date): Promise<void>;
  all(): Promise<SubjectKeyRow[]>;
  rewrap(subjectId: string, wrappedKey: Buffer, masterKeyId: string): Promise<void>;
  /** loads a snapshot's rows into an empty (restored) vault; destroyed rows win */
  restore(rows: SubjectKeyRow[]): Promise<void>;
  close(): Promise<void>;
}

type Run = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subject_keys (
  "subjectId"   uuid PRIMARY KEY,
  "wrappedKey"  bytea,
  "masterKeyId" text NOT NULL,
  "createdAt"   timestamptz NOT NULL DEFAULT now(),
  "destroyedAt" timestamptz
)`;

const COLUMNS = `"subjectId"::text AS "subjectId", "wrappedKey", "masterKeyId", "createdAt", "destroyedAt"`;

function toRow(row: SubjectKeyRow): SubjectKeyRow {
  return {
    subjectId: row.subjectId,
    wrappedKey: row.wrappedKey === null ? null : Buffer.from(row.wrappedKey),
    masterKeyId: row.masterKeyId,
    createdAt: new Date(row.createdAt),
    destroyedAt: row.destroyedAt === null ? null : new Date(row.destroyedAt),
  };
}

/** The vault's operations, the same SQL on PostgreSQL and PGlite. */
function sqlVault(location: string, run: Run, afterDestroy: () => Promise<void>, close: () => Promise<void>): KeyVault {
  return {
    location,
    async find(subjectId) {
      const [row] = await run<SubjectKeyRow>(`SELECT ${COLUMNS} FROM subject_keys WHERE "subjectId" = $1::uuid`, [subjectId]);
      return row ? toRow(row) : null;
    },
    async insertIfAbsent(subjectId, wrappedKey, masterKeyId) {
      await run(`INSERT INTO subject_keys ("subjectId", "wrappedKey", "masterKeyId") VALUES ($1::uuid, $2, $3) ON CONFLICT ("subjectId") DO NOTHING`, [subjectId, wrappedKey, masterKeyId]);
    },
    async destroy(subjectId, masterKeyId, at) {
      await run(
        `INSERT INTO subject_keys ("subjectId", "wrappedKey", "masterKeyId", "destroyedAt") VALUES ($1::uuid, NULL, $2, $3)
         ON CONFLICT ("subjectId") DO UPDATE SET "wrappedKey" = NULL, "destroyedAt" = coalesce(subject_keys."destroyedAt", EXCLUDED."destroyedAt")`,
        [subjectId, masterKeyId, at.toISOString()],
      );
      await afterDestroy();
    },
    async all() {
      return (await run<SubjectKeyRow>(`SELECT ${COLUMNS} FROM subject_keys ORDER BY "subjectId"`)).map(toRow);
    },
    async rewrap(subjectId, wrappedKey, masterKeyId) {
      await run(`UPDATE subject_keys SET "wrappedKey" = $2, "masterKeyId" = $3 WHERE "subjectId" = $1::uuid AND "wrappedKey" IS NOT NULL`, [subjectId, wrappedKey, masterKeyId]);
    },
    async restore(rows) {
      for (const row of rows) {
        await run(
          `INSERT INTO subject_keys ("subjectId", "wrappedKey", "masterKeyId", "createdAt", "destroyedAt") VALUES ($1::uuid, $2, $3, $4, $5)
           ON CONFLICT ("subjectId") DO UPDATE SET "wrappedKey" = CASE WHEN EXCLUDED."wrappedKey" IS NULL THEN NULL ELSE subject_keys."wrappedKey" END,
             "destroyedAt" = coalesce(subject_keys."destroyedAt", EXCLUDED."destroyedAt")`,
          [row.subjectId, row.wrappedKey, row.masterKeyId, row.createdAt.toISOString(), row.destroyedAt?.toISOString() ?? null],
        );
      }
      await afterDestroy();
    },
    close,
  };
}

/** The vault database's URL: configured, or the main database's name + `_keys` on the same server. */
export function keyVaultUrl(databaseUrl: string, configured?: string): string {
  if (configured) return configured;
  const url = new URL(databaseUrl);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_keys`;
  return url.toString();
}

/** Where a PostgreSQL URL points, without credentials. */
export function describePostgres(url: string): string {
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}/${decodeURIComponent(u.pathname.slice(1))}`;
}

export async function openPostgresKeyVault(databaseUrl: string, configured?: string): Promise<KeyVault> {
  const url = keyVaultUrl(databaseUrl, configured);
  if (!configured) await createDatabaseIfMissing(databaseUrl, decodeURIComponent(new URL(url).pathname.slice(1)));
  const pool = new Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {}); // a dropped idle connection is replaced on the next query
  const run: Run = async (sql, params = []) => (await pool.query(sql, params)).rows;
  await ensureSchema(run);
  // Dead row versions would keep a destroyed key in the vault's files until vacuumed.
  const vacuum = async () => { await run('VACUUM subject_keys').catch(() => {}); };
  return sqlVault(describePostgres(url), run, vacuum, () => pool.end());
}

/**
 * The embedded form: one JSON file beside the embedded database (never inside it), rewritten
 * atomically (temporary file, fsync, rename) on every change. A destroyed key is therefore gone
 * from the data directory at once: no dead row version or write-ahead log keeps it, as a
 * database file would. `memory://` keeps the keys in memory only (tests, demos).
 */
export async function openFileKeyVault(file: string | null): Promise<KeyVault> {
  const rows = new Map<string, SubjectKeyRow>();
  if (file && existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { format: string; keys: StoredRow[] };
    if (stored.format !== FILE_FORMAT) throw new Error(`${file} is not a Nomina key vault`);
    for (const row of stored.keys) rows.set(row.subjectId, fromStored(row));
  }
  // Writes one at a time, each writing the whole current state: a slow write can never put back
  // a key that a later destruction removed.
  let writing: Promise<void> = Promise.resolve();
  const persist = () => {
    if (!file) return Promise.resolve();
    const snapshot = JSON.stringify({ format: FILE_FORMAT, keys: [...rows.values()].map(toStored) });
    writing = writing.then(() => writeAtomically(file, snapshot));
    return writing;
  };
  return {
    location: file ? `key vault file ${file}` : 'key vault in memory',
    find: async (subjectId) => rows.get(subjectId) ?? null,
    async insertIfAbsent(subjectId, wrappedKey, masterKeyId) {
      if (rows.has(subjectId)) return;
      rows.set(subjectId, { subjectId, wrappedKey, masterKeyId, createdAt: new Date(), destroyedAt: null });
      await persist();
    },
    async destroy(subjectId, masterKeyId, at) {
      const row = rows.get(subjectId);
      rows.set(subjectId, { subjectId, wrappedKey: null, masterKeyId: row?.masterKeyId ?? masterKeyId, createdAt: row?.createdAt ?? at, destroyedAt: row?.destroyedAt ?? at });
      await persist();
    },
    all: async () => [...rows.values()].sort((x, y) => x.subjectId.localeCompare(y.subjectId)),
    async rewrap(subjectId, wrappedKey, masterKeyId) {
      const row = rows.get(subjectId);
      if (!row?.wrappedKey) return;
      rows.set(subjectId, { ...row, wrappedKey, masterKeyId });
      await persist();
    },
    async restore(restored) {
      for (const row of restored) {
        const current = rows.get(row.subjectId);
        if (!current) rows.set(row.subjectId, row);
        else if (row.wrappedKey === null) rows.set(row.subjectId, { ...current, wrappedKey: null, destroyedAt: current.destroyedAt ?? row.destroyedAt });
      }
      await persist();
    },
    close: async () => { await writing; },
  };
}

const FILE_FORMAT = 'nomina.key-vault/1';

interface StoredRow { subjectId: string; wrappedKey: string | null; masterKeyId: string; createdAt: string; destroyedAt: string | null }

const toStored = (r: SubjectKeyRow): StoredRow => ({
  subjectId: r.subjectId, wrappedKey: r.wrappedKey?.toString('base64') ?? null, masterKeyId: r.masterKeyId,
  createdAt: r.createdAt.toISOString(), destroyedAt: r.destroyedAt?.toISOString() ?? null,
});

const fromStored = (r: StoredRow): SubjectKeyRow => ({
  subjectId: r.subjectId, wrappedKey: r.wrappedKey === null ? null : Buffer.from(r.wrappedKey, 'base64'), masterKeyId: r.masterKeyId,
  createdAt: new Date(r.createdAt), destroyedAt: r.destroyedAt === null ? null : new Date(r.destroyedAt),
});

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/**
 * Keys kept in the main database by earlier versions (the migration renamed their table to
 * legacy_subject_keys) move into the vault once, then the table is dropped.
 */
export async function moveLegacySubjectKeys(query: Run, vault: KeyVault): Promise<number> {
  // Instances starting together on one database: one moves the keys while the others wait, then
  // find the table gone (without the lock, a second instance read a table the first had just dropped).
  await query('SELECT pg_advisory_lock($1)', [LEGACY_KEYS_MOVE_LOCK]);
  try {
    const [{ present }] = await query<{ present: boolean }>(`SELECT to_regclass('legacy_subject_keys') IS NOT NULL AS present`);
    if (!present) return 0;
    const rows = await query<SubjectKeyRow>(`SELECT ${COLUMNS} FROM legacy_subject_keys`);
    await vault.restore(rows.map(toRow));
    await query('DROP TABLE legacy_subject_keys');
    return rows.length;
  } finally {
    await query('SELECT pg_advisory_unlock($1)', [LEGACY_KEYS_MOVE_LOCK]);
  }
}

/** A session advisory lock of its own ('keys' in ASCII), apart from the migrations' one. */
const LEGACY_KEYS_MOVE_LOCK = 0x6b657973;

async function ensureSchema(run: Run): Promise<void> {
  try {
    await run(SCHEMA);
  } catch (error) {
    // Two instances creating the table at the same moment: the loser sees a duplicate.
    if (!['23505', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
      if (error.code !== '42P04' && error.code !== '23505') throw error; // created by another instance meanwhile
    });
  } finally {
    await client.end();
  }
}
