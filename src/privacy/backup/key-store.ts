/**
 * Why erasure reaches backups (docs/architecture.md §2.6, §7).
 *
 * Crypto-shredding alone does not: a dump taken before an erasure still holds the subject's
 * wrapped data key, and whoever restores it with the master key can decrypt the subject again.
 * So backups are split in two:
 *
 * - the **data backup** (`pg_dump` of the main database, see backup-plan.ts): large, long-lived,
 *   immutable, and never holding a data key — the keys are in the key vault, another database;
 * - the **key-store backup** (this file): every live wrapped key, plus the list of destroyed
 *   subjects, in ONE snapshot file that is replaced — never versioned — after every key
 *   destruction. A destroyed key therefore survives in no backup once the erasure finished.
 *
 * Restoring = data backup + current key-store snapshot; the subjects erased since the data
 * backup was taken have no key (their fields stay unreadable) and are erased again by
 * `reconcileAfterRestore` (their blind indexes are deleted too, so they cannot be matched).
 * Keep the key-store snapshot's off-site copy under the same rule: one generation, replaced.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../services';

export interface KeyStoreSnapshot {
  format: 'nomina.key-store';
  version: 1;
  takenAt: string;
  keys: { subjectId: string; wrappedKey: string; masterKeyId: string; createdAt: string }[];
  /** subjects whose key was destroyed: replayed as erasures after a restore */
  destroyed: { subjectId: string; destroyedAt: string }[];
}

export function keyStorePath(dataDir: string): string {
  return path.resolve(dataDir, 'keystore', 'subject-keys.json');
}

export async function takeKeyStoreSnapshot(services: Services): Promise<KeyStoreSnapshot> {
  const rows = await services.subjects.vault.all();
  return {
    format: 'nomina.key-store', version: 1, takenAt: services.now().toISOString(),
    keys: rows.filter((r) => r.wrappedKey).map((r) => ({ subjectId: r.subjectId, wrappedKey: Buffer.from(r.wrappedKey!).toString('base64'), masterKeyId: r.masterKeyId, createdAt: r.createdAt.toISOString() })),
    destroyed: rows.filter((r) => !r.wrappedKey).map((r) => ({ subjectId: r.subjectId, destroyedAt: (r.destroyedAt ?? r.createdAt).toISOString() })),
  };
}

// One writer at a time in this process, each reading the table after the previous wrote, so a
// slow writer can never put back a key that a later erasure destroyed.
let queue: Promise<unknown> = Promise.resolve();

/** Writes the snapshot atomically (temporary file + rename), replacing the previous one. */
export function writeKeyStoreSnapshot(services: Services, file = keyStorePath(services.config.dataDir)): Promise<KeyStoreSnapshot> {
  const run = queue.then(async () => {
    const snapshot = await takeKeyStoreSnapshot(services);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, JSON.stringify(snapshot), { mode: 0o600 });
    await rename(temp, file);
    return snapshot;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Called after every key destruction: replaces the key-store backup if backups are set up. */
export async function afterKeyDestruction(services: Services): Promise<void> {
  const file = keyStorePath(services.config.dataDir);
  if (!existsSync(file)) return;
  await writeKeyStoreSnapshot(services, file);
}

export async function readKeyStoreSnapshot(file: string): Promise<KeyStoreSnapshot> {
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as KeyStoreSnapshot;
  if (snapshot.format !== 'nomina.key-store' || snapshot.version !== 1) throw new Error(`${file} is not a Nomina key-store snapshot`);
  return snapshot;
}

/** Loads the snapshot into a restored deployment's (empty) key vault; destroyed keys stay destroyed. */
export async function loadKeyStoreSnapshot(services: Services, snapshot: KeyStoreSnapshot): Promise<{ keys: number; destroyed: number }> {
  await services.subjects.vault.restore([
    ...snapshot.keys.map((k) => ({ subjectId: k.subjectId, wrappedKey: Buffer.from(k.wrappedKey, 'base64'), masterKeyId: k.masterKeyId, createdAt: new Date(k.createdAt), destroyedAt: null })),
    ...snapshot.destroyed.map((d) => ({ subjectId: d.subjectId, wrappedKey: null, masterKeyId: services.keyring.currentId, createdAt: new Date(d.destroyedAt), destroyedAt: new Date(d.destroyedAt) })),
  ]);
  return { keys: snapshot.keys.length, destroyed: snapshot.destroyed.length };
}
