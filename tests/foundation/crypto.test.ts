import { randomBytes, randomUUID } from 'node:crypto';
import { open, seal } from '../../src/crypto/aead';
import { BlindIndex } from '../../src/crypto/blind-index';
import { Keyring } from '../../src/crypto/keyring';
import { SubjectCrypto } from '../../src/crypto/subject-keys';
import { createHarness, type Harness } from '../support/harness';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);
  it('round-trips and shows no plaintext', () => {
    const sealed = seal(key, Buffer.from('jan.peeters@gemeente.be'), 'ctx');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('jan');
    expect(open(key, sealed, 'ctx').toString()).toBe('jan.peeters@gemeente.be');
  });
  it('refuses another context, another key or a flipped bit', () => {
    const sealed = seal(key, Buffer.from('secret'), 'subject-a/email');
    expect(() => open(key, sealed, 'subject-b/email')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'subject-a/email')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => open(key, `v1.${raw.toString('base64url')}`, 'subject-a/email')).toThrow();
  });
});

describe('blind indexes', () => {
  it('match normalised equal values and depend on the key', () => {
    const index = new BlindIndex(randomBytes(32));
    expect(index.of('email', ' Jan.Peeters@Gemeente.BE ')).toBe(index.of('email', 'jan.peeters@gemeente.be'));
    expect(index.of('pc_name', 'laptop-42')).toBe(index.of('pc_name', 'LAPTOP-42'));
    expect(index.of('email', 'a@b.be')).not.toBe(index.of('pc_name', 'a@b.be'));
    expect(new BlindIndex(randomBytes(32)).of('email', 'a@b.be')).not.toBe(index.of('email', 'a@b.be'));
  });
});

describe('per-subject keys', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('creates one key per subject even under concurrency', async () => {
    const subject = randomUUID();
    const keys = await Promise.all(Array.from({ length: 8 }, () => h.services.subjects.ensureKey(subject)));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    expect((await h.db.keyVault.all()).filter((row) => row.subjectId === subject)).toHaveLength(1);
  });

  it('makes data unreadable once the key is destroyed (crypto-shredding)', async () => {
    const subject = randomUUID();
    const sealed = await h.services.subjects.encrypt(subject, 'contact.email', 'x@y.be');
    await h.services.subjects.destroyKey(subject);
    await expect(h.services.subjects.decrypt(subject, 'contact.email', sealed)).rejects.toThrow(/destroyed/);
    const row = await h.db.keyVault.find(subject);
    expect(row?.wrappedKey).toBeNull();
    expect(row?.destroyedAt).not.toBeNull();
  });

  it('rotates master keys: old keys still unwrap, rewrap moves every key to the new one', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    const before = new SubjectCrypto(new Keyring([oldKey]), h.db.keyVault);
    const subject = randomUUID();
    const sealed = await before.encrypt(subject, 'contact.lastName', 'Peeters');

    const during = new SubjectCrypto(new Keyring([newKey, oldKey, ...h.config.secrets.masterKeys]), h.db.keyVault);
    expect(await during.decrypt(subject, 'contact.lastName', sealed)).toBe('Peeters');
    expect(await during.rewrapAll()).toBeGreaterThanOrEqual(1);

    const after = new SubjectCrypto(new Keyring([newKey]), h.db.keyVault);
    expect(await after.decrypt(subject, 'contact.lastName', sealed)).toBe('Peeters');
    expect((await h.db.keyVault.find(subject))?.masterKeyId).toBe('new');
  });
});
