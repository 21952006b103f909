import { exportJWK, generateKeyPair, GeneralSign, SignJWT, type CryptoKey, type GeneralJWSInput } from 'jose';
import type { PublicJwk } from '../../src/trusted-keys';
import type { LicenceClaims } from '../../src/token';

/** A server signing key as the real server would hold it. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } };
}

export type TokenClaimsInput = Partial<Omit<LicenceClaims, 'iat' | 'exp'>> & { iat?: Date; exp?: Date };

/** Signs a licence token with exactly the claims the server issues. */
export async function signLicenceToken(key: SigningKey, overrides: TokenClaimsInput = {}): Promise<string> {
  const iat = overrides.iat ?? new Date();
  const exp = overrides.exp ?? new Date(iat.getTime() + 7 * 24 * 3600_000);
  const { iat: _iat, exp: _exp, ...claimOverrides } = overrides;
  const claims = {
    sub: 'lic_1', lic: 'lic_1', dev: 'dev_1', code: 'VALID', valid: true, ent: ['export'], vu: null, tel: 'on', nonce: 'n',
    ...claimOverrides,
  };
  const { iss = 'nomina', aud = 'ACME', ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(Math.floor(iat.getTime() / 1000))
    .setExpirationTime(Math.floor(exp.getTime() / 1000))
    .sign(key.privateKey);
}

/** The signed key set the server serves at /.well-known/jwks.signed: one signature per signer. */
export async function signKeySet(signers: SigningKey[], keys: PublicJwk[], iat: Date = new Date()): Promise<GeneralJWSInput> {
  const payload = new TextEncoder().encode(JSON.stringify({ iss: 'nomina', iat: Math.floor(iat.getTime() / 1000), keys }));
  const jws = new GeneralSign(payload);
  for (const signer of signers) jws.addSignature(signer.privateKey).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'nomina-jwks+jwt' });
  return jws.sign();
}

/**
 * The key set as a licence file carries it (docs/offline-activation.md §3): each signature of the
 * General JWS in compact form, `protected.payload.signature`, one line per signer.
 */
export async function signKeySetLines(signers: SigningKey[], keys: PublicJwk[], iat: Date = new Date()): Promise<string[]> {
  const general = await signKeySet(signers, keys, iat);
  return general.signatures.map((s) => `${s.protected!}.${String(general.payload)}.${s.signature}`);
}
