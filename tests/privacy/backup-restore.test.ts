/**
 * Erasure reaches backups (docs/architecture.md §2.6). A dump taken BEFORE an erasure is restored into a new
 * database AFTER it: the erased subject's encrypted fields there cannot be decrypted, and the
 * restore procedure erases their rows again; everyone else is restored intact.
 *
 * The data keys live in the key vault, another database: even a plain `pg_dump` of the main
 * database, taken before the erasure, holds no key and cannot bring the subject back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decryptContact } from '../../src/contacts/contact-crypto';
import { SubjectKeyDestroyedError } from '../../src/crypto/subject-keys';
import { openDatabase, type Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { createBackup, reconcileAfterRestore, restoreDataBackup } from '../../src/privacy/backup/backup-plan';
import { keyStorePath, loadKeyStoreSnapshot, readKeyStoreSnapshot } from '../../src/privacy/backup/key-store';
import { eraseSubject } from '../../src/privacy/erasure/erase-subject';
import { buildServices, type Services } from '../../src/services';
import { databaseUrl, dropTestDatabase, withAdminClient } from '../setup/test-database';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld, type SubjectWorld } from './support/subject-world';

let h: Harness;
let dir: string;
const restored: { name: string; db: Database; services: Services }[] = [];
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nomina-backup-'));
  h = await createHarness({ dataDir: dir });
});
afterAll(async () => {
  for (const r of restored) { await r.services.close(); await r.db.close(); }
  for (const r of restored) await dropTestDatabase(r.name);
  await h.close();
});

async function restoreInto(file: string): Promise<{ db: Database; services: Services }> {
  const name = `nomina_t_restore_${Date.now()}_${restored.length}`;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE "${name}"`));
  await restoreDataBackup(databaseUrl(name), file);
  const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: dir });
  // Same secrets (master key, index key…) as the live service, as after a real disaster recovery.
  const services = buildServices(h.config, db, createLogger('silent'));
  restored.push({ name, db, services });
  return { db, services };
}

async function readable(services: Services, contactId: string) {
  const contact = await services.prisma.contact.findUnique({ where: { id: contactId } });
  return contact ? decryptContact(services, contact) : undefined;
}

describe('a backup taken before an erasure, restored after it', () => {
  let erased: SubjectWorld;
  let kept: SubjectWorld;
  const dataFile = () => path.join(dir, 'data.sql');
  const naiveFile = () => path.join(dir, 'naive-full.sql');

  beforeAll(async () => {
    erased = await buildSubjectWorld(h, { validUntil: new Date(Date.now() - 86_400_000) });
    kept = await buildSubjectWorld(h);
    await createBackup(h.services, h.databaseUrl, dataFile());
    execFileSync('pg_dump', [`--file=${naiveFile()}`, `--dbname=${h.databaseUrl}`]);
    const result = await eraseSubject(h.services, { contactId: erased.contactId, actor: { type: 'system', id: 'test' } });
    expect(result.status).toBe('completed');
  });

  it('writes data backups without any data key, and a key-store snapshot that the erasure replaced', async () => {
    const sql = readFileSync(dataFile(), 'utf8');
    expect(sql).not.toMatch(/CREATE TABLE public\.\w*subject_keys/);
    const wrapped = (await h.db.keyVault.find(kept.contactId))!.wrappedKey!;
    const asDumped = Buffer.from(wrapped).toString('hex');
    expect(sql).not.toContain(asDumped);
    // A plain pg_dump of the main database, as an operator might take it, holds no key either.
    expect(readFileSync(naiveFile(), 'utf8')).not.toContain(asDumped);
    expect(readFileSync(naiveFile(), 'utf8')).not.toMatch(/CREATE TABLE public\.\w*subject_keys/);
    expect(sql).toContain(erased.contactId); // the erased subject's rows are in the old backup…
    const snapshot = await readKeyStoreSnapshot(keyStorePath(dir));
    expect(existsSync(keyStorePath(dir))).toBe(true);
    expect(snapshot.keys.map((k) => k.subjectId)).toContain(kept.contactId);
    expect(snapshot.keys.map((k) => k.subjectId)).not.toContain(erased.contactId); // …but its key is in no backup any more
    expect(snapshot.destroyed.map((d) => d.subjectId)).toContain(erased.contactId);
  });

  it('restores everyone else, and the erased subject’s fields cannot be decrypted', async () => {
    const { services } = await restoreInto(dataFile());
    await loadKeyStoreSnapshot(services, await readKeyStoreSnapshot(keyStorePath(dir)));
    expect(await readable(services, kept.contactId)).toMatchObject({ email: kept.email, lastName: kept.lastName });
    // The restored rows of the erased subject are there, encrypted, and nothing can open them.
    const row = await services.prisma.contact.findUniqueOrThrow({ where: { id: erased.contactId } });
    expect(row.emailEnc).toMatch(/^v1\./);
    expect(await readable(services, erased.contactId)).toBeNull();
    await expect(services.subjects.decrypt(erased.contactId, 'contact.email', row.emailEnc)).rejects.toBeInstanceOf(SubjectKeyDestroyedError);
    const device = await services.prisma.device.findUniqueOrThrow({ where: { id: erased.deviceId } });
    await expect(services.subjects.decrypt(erased.contactId, 'device.pc_name', device.pcNameEnc)).rejects.toBeInstanceOf(SubjectKeyDestroyedError);

    // The restore procedure then erases them again, blind indexes included, so they cannot be matched either.
    const report = await reconcileAfterRestore(services, keyStorePath(dir));
    expect(report).toMatchObject({ reErased: 1, withoutKey: 0 });
    expect(await services.prisma.contact.count({ where: { id: erased.contactId } })).toBe(0);
    expect(await services.prisma.contact.count({ where: { emailIndex: services.blindIndex.of('email', erased.email) } })).toBe(0);
    expect(await services.prisma.deviceMac.count({ where: { macIndex: services.blindIndex.of('mac', erased.mac) } })).toBe(0);
    expect(await readable(services, kept.contactId)).toMatchObject({ email: kept.email });
  });

  it('a plain pg_dump taken before the erasure, restored beside the live key vault, does not bring the erased subject back', async () => {
    const { db } = await restoreInto(naiveFile());
    const withLiveVault = buildServices(h.config, { ...db, keyVault: h.db.keyVault }, createLogger('silent'));
    expect(await readable(withLiveVault, erased.contactId)).toBeNull();
    expect(await readable(withLiveVault, kept.contactId)).toMatchObject({ email: kept.email });
  });
});
