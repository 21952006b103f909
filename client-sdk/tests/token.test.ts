import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { verifyLicenceToken } from '../src/token';
import { TrustedKeyStore } from '../src/trusted-keys';
import { createSigningKey, signKeySet, signLicenceToken, type SigningKey } from './helpers/signing';

const now = new Date('2026-03-01T10:00:00Z');
let pinned: SigningKey;
let rotated: SigningKey;
let stranger: SigningKey;
let storageDir: string;

beforeAll(async () => {
  [pinned, rotated, stranger] = await Promise.all([createSigningKey('k1'), createSigningKey('k2'), createSigningKey('evil')]);
});
beforeEach(() => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-token-'));
});
afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

// nonce null = offline re-read, where no nonce is expected.
async function verify(token: string, nonce: string | null = 'n', keys?: TrustedKeyStore) {
  const store = keys ?? (await TrustedKeyStore.open([pinned.publicJwk], storageDir));
  return verifyLicenceToken(token, { keys: store, product: 'ACME', nonce: nonce ?? undefined, now });
}

describe('verifyLicenceToken', () => {
  it('accepts a token signed by a pinned key with the expected nonce, and returns its claims', async () => {
    const result = await verify(await signLicenceToken(pinned, { iat: now }));
    expect(result).toMatchObject({ ok: true, kid: 'k1', claims: { lic: 'lic_1', valid: true, code: 'VALID', ent: ['export'], tel: 'on' } });
  });

  it('rejects a tampered token', async () => {
    const token = await signLicenceToken(pinned, { iat: now, valid: false, code: 'REVOKED' });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, valid: true, code: 'VALID' })).toString('base64url');
    expect(await verify(`${header}.${forged}.${signature}`)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a token signed by another key that claims a trusted kid', async () => {
    const impostor = { ...stranger, kid: 'k1' };
    expect(await verify(await signLicenceToken(impostor, { iat: now }))).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('reports an unknown kid so the client can fetch the signed key set', async () => {
    expect(await verify(await signLicenceToken(stranger, { iat: now }))).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY', kid: 'evil' });
  });

  it('refuses a licence file (another typ) as MALFORMED, from a trusted key or an unknown one, so it never sets off a key-set fetch', async () => {
    const asLicenceFile = async (key: SigningKey) => {
      const token = await signLicenceToken(key, { iat: now });
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'nomina-licence-file+jwt' }).sign(key.privateKey);
    };
    expect(await verify(await asLicenceFile(pinned))).toMatchObject({ ok: false, reason: 'MALFORMED', kid: 'k1' });
    expect(await verify(await asLicenceFile(stranger))).toMatchObject({ ok: false, reason: 'MALFORMED', kid: 'evil' });
  });

  it('rejects a replayed answer whose nonce is not the one sent', async () => {
    expect(await verify(await signLicenceToken(pinned, { iat: now, nonce: 'old' }), 'fresh')).toMatchObject({ ok: false, reason: 'WRONG_NONCE' });
  });

  it('rejects an expired token, a wrong audience, a wrong issuer and garbage', async () => {
    const expired = await signLicenceToken(pinned, { iat: new Date(now.getTime() - 9e8), exp: new Date(now.getTime() - 1000) });
    expect(await verify(expired)).toMatchObject({ ok: false, reason: 'EXPIRED' });
    expect(await verify(await signLicenceToken(pinned, { iat: now, aud: 'OTHER' }))).toMatchObject({ ok: false, reason: 'WRONG_AUDIENCE' });
    expect(await verify(await signLicenceToken(pinned, { iat: now, iss: 'someone' }))).toMatchObject({ ok: false, reason: 'WRONG_ISSUER' });
    expect(await verify('not-a-token')).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it('rejects a correctly signed token whose claims are not the licence shape', async () => {
    expect(await verify(await signLicenceToken(pinned, { iat: now, ent: 'all' as unknown as string[] }))).toMatchObject({ ok: false, reason: 'BAD_CLAIMS' });
  });

  it('skips the nonce check only when asked (offline re-read of the cached token)', async () => {
    expect(await verify(await signLicenceToken(pinned, { iat: now, nonce: 'old' }), null)).toMatchObject({ ok: true });
  });
});

describe('TrustedKeyStore: learning rotated keys from a signed key set', () => {
  it('learns a rotated key from a key set signed by a pinned key, and persists it verifiably', async () => {
    const store = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    expect(await store.learnFromSignedJwks(await signKeySet([pinned, rotated], [pinned.publicJwk, rotated.publicJwk]))).toBe('LEARNT');
    expect(await verify(await signLicenceToken(rotated, { iat: now }), 'n', store)).toMatchObject({ ok: true, kid: 'k2' });

    const reopened = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    expect(reopened.learntKeyIds()).toEqual(['k1', 'k2']);
  });

  it('refuses a key set signed only by an untrusted key, even if it lists that key', async () => {
    const store = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    expect(await store.learnFromSignedJwks(await signKeySet([stranger], [stranger.publicJwk]))).toBe('UNTRUSTED');
    expect(store.getKey('evil')).toBeUndefined();
  });

  it('refuses a plain JWKS or a licence token offered as a key set', async () => {
    const store = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    expect(await store.learnFromSignedJwks({ keys: [stranger.publicJwk] } as never)).toBe('UNTRUSTED');
    expect(await store.learnFromSignedJwks(await signLicenceToken(pinned))).toBe('UNTRUSTED'); // typ is not nomina-jwks+jwt
  });

  it('ignores a replayed older key set, so a retired key cannot come back', async () => {
    const store = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    const older = await signKeySet([pinned], [pinned.publicJwk, stranger.publicJwk], new Date('2026-01-01'));
    const newer = await signKeySet([pinned], [pinned.publicJwk, rotated.publicJwk], new Date('2026-02-01'));
    expect(await store.learnFromSignedJwks(older)).toBe('LEARNT');
    expect(await store.learnFromSignedJwks(newer)).toBe('LEARNT');
    expect(store.getKey('evil')).toBeUndefined();
    expect(await store.learnFromSignedJwks(older)).toBe('STALE');
    expect(store.getKey('evil')).toBeUndefined();
  });

  it('ignores a learnt-keys file edited to add a key', async () => {
    fs.writeFileSync(path.join(storageDir, 'trusted-keys.json'), JSON.stringify({ chain: [await signKeySet([stranger], [stranger.publicJwk])] }));
    const store = await TrustedKeyStore.open([pinned.publicJwk], storageDir);
    expect(store.getKey('evil')).toBeUndefined();
  });

  it('refuses pinned keys that are not public Ed25519 keys', async () => {
    await expect(TrustedKeyStore.open([], storageDir)).rejects.toThrow(TypeError);
    await expect(TrustedKeyStore.open([{ ...pinned.publicJwk, d: 'secret' }], storageDir)).rejects.toThrow(/private/);
    await expect(TrustedKeyStore.open([{ kty: 'RSA', kid: 'r' } as never], storageDir)).rejects.toThrow(TypeError);
  });
});
