import { createHmac, KeyObject, sign as signBytes } from 'node:crypto';
import { CompactSign, GeneralSign, importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { verifyLicenceToken } from '../src/token';
import { TrustedKeyStore } from '../src/trusted-keys';
import { createSigningKey, signLicenceToken, type SigningKey } from './helpers/signing';

// The SDK verifies Ed25519 JWS on node:crypto (src/jws.ts) instead of jose, for its start-up time
// (issue 15). These are the attacks and edge cases such a verifier must not get wrong; tokens are
// made with jose, as the server makes them, and the answers are compared with jose's own.

const now = new Date('2026-03-01T10:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
let pinned: SigningKey;
let store: TrustedKeyStore;
let joseKey: CryptoKey;

beforeAll(async () => {
  pinned = await createSigningKey('k1');
  store = await TrustedKeyStore.open([pinned.publicJwk], null);
  joseKey = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: pinned.publicJwk.x! }, 'Ed25519')) as CryptoKey;
});

const verify = (token: string, nonce?: string) => verifyLicenceToken(token, { keys: store, product: 'ACME', nonce, now });
const claims = { sub: 'lic_1', lic: 'lic_1', dev: 'dev_1', code: 'VALID', valid: true, ent: [], vu: null, tel: 'on', nonce: 'n' };
const sign = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: 'k1', ...header } as never).sign(pinned.privateKey);
// Signs any header, even one jose would refuse to produce (e.g. crit).
const rawSign = (header: Record<string, unknown>, body: Record<string, unknown>) => {
  const input = `${b64({ alg: 'EdDSA', kid: 'k1', ...header })}.${b64(body)}`;
  return `${input}.${signBytes(null, Buffer.from(input), KeyObject.from(pinned.privateKey)).toString('base64url')}`;
};
const payload = (overrides: Record<string, unknown> = {}) => ({ ...claims, iss: 'nomina', aud: 'ACME', iat: seconds(now), exp: seconds(now) + 3600, ...overrides });

describe('Ed25519 JWS verification without jose', () => {
  it('refuses alg "none" and an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const body = b64(payload());
    expect(await verify(`${b64({ alg: 'none', kid: 'k1' })}.${body}.`)).toMatchObject({ ok: false });
    const header = b64({ alg: 'HS256', kid: 'k1' });
    const mac = createHmac('sha256', Buffer.from(pinned.publicJwk.x!, 'base64url')).update(`${header}.${body}`).digest('base64url');
    expect(await verify(`${header}.${body}.${mac}`)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses critical header extensions, non-base64url characters, a header that is not an object, and extra parts', async () => {
    expect(await verify(rawSign({ crit: ['exp'], exp: 1 }, payload()))).toMatchObject({ ok: false, reason: 'MALFORMED' });
    const token = await sign({}, payload());
    expect(await verify(`${token}=`)).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(await verify(token.replace('.', '.+'))).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(await verify(`${token}.x`)).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(await verify(`${b64([1])}.${b64(payload())}.${token.split('.')[2]}`)).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(await verify(`${token.split('.')[0]}.${token.split('.')[1]}.`)).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it('refuses a token without a kid, and a truncated signature', async () => {
    const noKid = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('nomina').setAudience('ACME').setIssuedAt(seconds(now)).setExpirationTime(seconds(now) + 60).sign(pinned.privateKey);
    expect(await verify(noKid)).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
    const token = await sign({}, payload());
    expect(await verify(token.slice(0, -4))).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('checks the registered claims as jose does, with no clock tolerance', async () => {
    const cases: Array<[Record<string, unknown>, string | true]> = [
      [{}, true],
      [{ aud: ['OTHER', 'ACME'] }, true],
      [{ aud: ['OTHER'] }, 'WRONG_AUDIENCE'],
      [{ aud: undefined }, 'WRONG_AUDIENCE'],
      [{ iss: undefined }, 'WRONG_ISSUER'],
      [{ iat: undefined }, 'BAD_CLAIMS'],
      [{ iat: 'yesterday' }, 'BAD_CLAIMS'],
      [{ nonce: undefined }, 'BAD_CLAIMS'],
      [{ nbf: seconds(now) + 1 }, 'BAD_CLAIMS'],
      [{ nbf: seconds(now) }, true],
      [{ exp: seconds(now) }, 'EXPIRED'],
      [{ exp: seconds(now) + 1 }, true],
      [{ exp: String(seconds(now) + 60) }, 'BAD_CLAIMS'],
    ];
    for (const [overrides, expected] of cases) {
      const token = await sign({}, JSON.parse(JSON.stringify(payload(overrides))));
      const ours = await verify(token);
      const jose = await jwtVerify(token, joseKey, {
        issuer: 'nomina', audience: 'ACME', algorithms: ['EdDSA'], currentDate: now, requiredClaims: ['iat', 'exp', 'nonce'],
      }).then(() => true, () => false);
      expect({ overrides, ok: ours.ok, reason: ours.ok ? true : ours.reason }).toEqual({ overrides, ok: expected === true, reason: expected });
      expect({ overrides, jose }).toEqual({ overrides, jose: expected === true });
    }
  });

  it('reads a key set only from protected headers: a kid or typ in the unprotected header does not count', async () => {
    const keySet = new TextEncoder().encode(JSON.stringify({ iss: 'nomina', iat: seconds(now), keys: [pinned.publicJwk] }));
    const general = new GeneralSign(keySet);
    general.addSignature(pinned.privateKey).setProtectedHeader({ alg: 'EdDSA' }).setUnprotectedHeader({ kid: 'k1', typ: 'nomina-jwks+jwt' });
    const fresh = await TrustedKeyStore.open([pinned.publicJwk], null);
    expect(await fresh.learnFromSignedJwks(await general.sign())).toBe('UNTRUSTED');
  });

  it('still accepts the real thing, and its claims are the signed ones', async () => {
    const result = await verify(await signLicenceToken(pinned, { iat: now, code: 'REVOKED', valid: false }), 'n');
    expect(result).toMatchObject({ ok: true, kid: 'k1', claims: { code: 'REVOKED', valid: false } });
  });
});
