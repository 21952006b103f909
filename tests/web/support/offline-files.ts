/**
 * The browser tests play the PC without internet with the files of tests/support/offline-files.ts
 * (made as the SDK makes them, per docs/offline-activation.md). What they add: a check of a
 * downloaded licence file against the contract's claims, with the published keys only.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { activationRequest, identityHash, licenceFileLines } from '../../support/offline-files';

export { activationRequest, anOfflinePc, releaseFile, requestText } from '../../support/offline-files';
export type ActivationRequest = ReturnType<typeof activationRequest>;

/**
 * Verifies a downloaded licence file as the SDK would — its first line the licence, each further
 * line the service's key set signed by one published key — and checks every claim of the
 * contract's table; returns the licence's claims.
 */
export async function verifyLicenceFile(file: string, jwks: JSONWebKeySet, request: ActivationRequest, offlineLicenceDays: number) {
  const { licence: jws, keySet } = licenceFileLines(file.trim());
  expect(keySet).toHaveLength(jwks.keys.length);
  for (const line of keySet) {
    const { protectedHeader, payload } = await compactVerify(line, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    expect(protectedHeader.typ).toBe('nomina-jwks+jwt');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ iss: 'nomina', keys: jwks.keys });
  }
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: 'EdDSA', typ: 'nomina-licence-file+jwt', kid: expect.any(String) });
  const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'], audience: request.product, typ: 'nomina-licence-file+jwt' });
  const d = request.device;
  expect(payload).toMatchObject({
    iss: expect.any(String), sub: expect.any(String), dev: expect.any(String), code: 'VALID', valid: true, ent: expect.any(Array), tel: expect.stringMatching(/^(on|off)$/),
    nonce: request.nonce, jti: expect.stringMatching(/^[0-9a-f-]{36}$/), mode: 'offline', cnf: { jwk: request.devicePublicKey },
    idh: {
      user: identityHash(request.nonce, `${d.ntDomain.toLowerCase()}\\${d.ntUsername.toLowerCase()}`),
      pc: identityHash(request.nonce, d.pcName.toUpperCase()),
      macs: [...new Set(d.macAddresses.map((m) => m.toUpperCase()))].sort().map((m) => identityHash(request.nonce, m)), // sorted, without duplicates
    },
  });
  const vu = payload.vu as string | null;
  const end = vu ? Math.floor(Date.parse(vu) / 1000) : Infinity;
  expect(payload.exp).toBe(Math.min(payload.iat! + offlineLicenceDays * 86_400, end));
  // Nothing in the file shows the identity to whoever carries it.
  const text = Buffer.from(jws.split('.')[1], 'base64url').toString('utf8');
  for (const plain of [d.pcName, d.ntUsername, ...d.macAddresses]) expect(text).not.toContain(plain);
  return payload as typeof payload & { sub: string; dev: string; jti: string };
}
