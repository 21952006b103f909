/**
 * Per-subject data keys (crypto-shredding, docs/architecture.md §7). Every personal field of a data subject is
 * sealed with that subject's own AES-256-GCM key, itself wrapped by a master key. Erasure
 * destroys the wrapped key, so every copy of those fields — replicas, dumps, backups — becomes
 * unreadable at once.
 *
 * The wrapped keys live in the key vault (key-vault.ts), apart from the data they unlock, so that
 * a dump of the data never contains them. Creating a key outside the caller's transaction is
 * harmless: an unused key unlocks nothing, and the same key is returned to every concurrent caller.
 *
 * The associated data binds a ciphertext to its subject and field: a value copied into another
 * row or column fails to decrypt instead of silently showing the wrong person's data.
 */
import { randomBytes } from 'node:crypto';
import { open, seal } from './aead';
import type { KeyVault } from './key-vault';
import type { Keyring } from './keyring';

export class SubjectKeyDestroyedError extends Error {
  constructor(subjectId: string) {
    super(`the data key of subject ${subjectId} was destroyed`);
  }
}

export class SubjectCrypto {
  // Unwrapped keys are cached briefly; erasure evicts its subject at once (see destroyKey).
  private readonly cache = new Map<string, { key: Buffer; until: number }>();
  private static readonly CACHE_MS = 60_000;
  private static readonly CACHE_SIZE = 5_000;

  constructor(private readonly keyring: Keyring, readonly vault: KeyVault) {}

  /** Creates the subject's key if it has none yet. Idempotent, safe under concurrency. */
  async ensureKey(subjectId: string): Promise<Buffer> {
    const existing = await this.loadKey(subjectId);
    if (existing) return existing;
    const key = randomBytes(32);
    const { wrapped, keyId } = this.keyring.wrap(key, `subject:${subjectId}`);
    // INSERT … ON CONFLICT DO NOTHING: concurrent first uses must not fail on the primary key.
    await this.vault.insertIfAbsent(subjectId, Buffer.from(wrapped), keyId);
    // Another request may have won the race: read back whichever key was stored.
    const stored = await this.loadKey(subjectId);
    if (!stored) throw new SubjectKeyDestroyedError(subjectId);
    return stored;
  }

  async encrypt(subjectId: string, field: string, value: string): Promise<string> {
    return this.encryptWith(await this.ensureKey(subjectId), subjectId, field, value);
  }

  encryptWith(key: Buffer, subjectId: string, field: string, value: string): string {
    return seal(key, Buffer.from(value, 'utf8'), `${subjectId}/${field}`);
  }

  async decrypt(subjectId: string, field: string, sealed: string): Promise<string> {
    const key = await this.loadKey(subjectId);
    if (!key) throw new SubjectKeyDestroyedError(subjectId);
    return this.decryptWith(key, subjectId, field, sealed);
  }

  decryptWith(key: Buffer, subjectId: string, field: string, sealed: string): string {
    return open(key, sealed, `${subjectId}/${field}`).toString('utf8');
  }

  /** The subject's key, or null once destroyed (or never created). */
  async loadKey(subjectId: string): Promise<Buffer | null> {
    const cached = this.cache.get(subjectId);
    if (cached && cached.until > Date.now()) return cached.key;
    const row = await this.vault.find(subjectId);
    if (!row?.wrappedKey) return null;
    const key = this.keyring.unwrap(Buffer.from(row.wrappedKey).toString(), row.masterKeyId, `subject:${subjectId}`);
    if (this.cache.size >= SubjectCrypto.CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, { key, until: Date.now() + SubjectCrypto.CACHE_MS });
    return key;
  }

  /** Crypto-shredding: the wrapped key is overwritten; the row stays as evidence. Idempotent. */
  async destroyKey(subjectId: string, now = new Date()): Promise<void> {
    this.cache.delete(subjectId);
    await this.vault.destroy(subjectId, this.keyring.currentId, now);
    this.cache.delete(subjectId); // a read that raced the destruction must not keep the key
  }

  /** Re-wraps every live subject key with the current master key (key rotation). */
  async rewrapAll(): Promise<number> {
    let count = 0;
    const rows = (await this.vault.all()).filter((row) => row.wrappedKey !== null && row.masterKeyId !== this.keyring.currentId);
    for (const row of rows) {
      const context = `subject:${row.subjectId}`;
      const key = this.keyring.unwrap(row.wrappedKey!.toString(), row.masterKeyId, context);
      const { wrapped, keyId } = this.keyring.wrap(key, context);
      await this.vault.rewrap(row.subjectId, Buffer.from(wrapped), keyId);
      count += 1;
    }
    return count;
  }
}
