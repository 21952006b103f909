/**
 * The backup and restore procedure for PostgreSQL deployments (see key-store.ts for why the data
 * keys are kept out of data backups). Operators run these through their scheduler; the restore
 * test in tests/privacy/backup-restore.test.ts runs exactly these functions.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Actor } from '../../audit/audit-trail';
import type { Services } from '../../services';
import { eraseSubject } from '../erasure/erase-subject';
import { loadKeyStoreSnapshot, readKeyStoreSnapshot, writeKeyStoreSnapshot } from './key-store';

const run = promisify(execFile);

/** pg_dump arguments of a data backup: the main database, which holds no data key (they are in the key vault). */
export function dataBackupArgs(databaseUrl: string, file: string): string[] {
  return ['--format=plain', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${databaseUrl}`];
}

export async function createDataBackup(databaseUrl: string, file: string, pgDump = 'pg_dump'): Promise<void> {
  await run(pgDump, dataBackupArgs(databaseUrl, file), { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * A complete backup: the data dump first, then the key-store snapshot, so every key the dump
 * needs is in the snapshot (keys are never removed, only destroyed).
 */
export async function createBackup(services: Services, databaseUrl: string, dataFile: string): Promise<void> {
  await createDataBackup(databaseUrl, dataFile);
  await writeKeyStoreSnapshot(services);
}

/** Loads a data backup into an empty database (created beforehand with createdb). */
export async function restoreDataBackup(databaseUrl: string, file: string, psql = 'psql'): Promise<void> {
  await run(psql, ['--quiet', '--set=ON_ERROR_STOP=1', `--dbname=${databaseUrl}`, `--file=${file}`], { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Second half of a restore, run with the restored database's services: load the key-store
 * snapshot, then erase again every subject destroyed since the data backup (their rows and
 * blind indexes are still in it, though nothing of theirs can be decrypted any more).
 */
export async function reconcileAfterRestore(services: Services, keyStoreFile: string, actor: Actor = { type: 'system', id: 'restore' }) {
  const snapshot = await readKeyStoreSnapshot(keyStoreFile);
  const loaded = await loadKeyStoreSnapshot(services, snapshot);
  const destroyed = new Set(snapshot.destroyed.map((d) => d.subjectId));
  const live = new Set(snapshot.keys.map((k) => k.subjectId));
  const contacts = await services.prisma.contact.findMany({ select: { id: true } });
  let reErased = 0;
  let withoutKey = 0;
  for (const { id } of contacts) {
    if (destroyed.has(id)) {
      await eraseSubject(services, { contactId: id, actor, endRunningLicences: true });
      reErased += 1;
    } else if (!live.has(id)) withoutKey += 1; // should not happen: createBackup snapshots keys after the dump
  }
  return { ...loaded, reErased, withoutKey };
}
