/**
 * The files of air-gapped activation made as the SDK makes them (docs/offline-activation.md), for
 * tests that play the PC without internet: a device key pair, a request (JSON and text form), a
 * release file signed with the device key, and a check of a licence file against the contract.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { CompactSign, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';

export interface OfflineDevice { ntUsername: string; ntDomain: string; pcName: string; macAddresses: string[] }
export interface OfflinePc { device: OfflineDevice; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string }; privateKey: KeyObject }

export function offlinePc(device: OfflineDevice): OfflinePc {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  return { device, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, privateKey };
}

export interface ActivationRequest { format: string; version: 1; product: string; key: string; device: OfflineDevice; app: { version: string; os: string }; nonce: string; createdAt: string; devicePublicKey: OfflinePc['publicJwk'] }

export function activationRequest(pc: OfflinePc, key: string, product: string, createdAt = new Date()): ActivationRequest {
  return {
    format: 'nomina-activation-request', version: 1, product, key, device: pc.device, app: { version: '5.2.1', os: 'Windows 11 23H2' },
    nonce: randomBytes(16).toString('base64url'), createdAt: createdAt.toISOString(), devicePublicKey: pc.publicJwk,
  };
}

/** The text form: raw DEFLATE, base64url, 64-character lines between the armour lines. */
export function requestText(request: ActivationRequest): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(request), 'utf8')).toString('base64url').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN NOMINA ACTIVATION REQUEST-----\n${body}\n-----END NOMINA ACTIVATION REQUEST-----\n`;
}

/** The release file: a compact JWS signed with the device's private key. */
export async function releaseFile(pc: OfflinePc, claims: { lic: string; dev: string; act: string; product: string }): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ ...claims, iat: Math.floor(Date.now() / 1000) }));
  return new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'nomina-release+jwt' }).sign(pc.privateKey);
}

const idHash = (nonce: string, value: string) => createHash('sha256').update(`${nonce}\n${value}`).digest('base64url');

/** Verifies a licence file with the published keys only and returns its claims; throws when it breaks the contract. */
export async function verifyLicenceFile(jws: string, jwks: JSONWebKeySet, request: ActivationRequest, offlineLicenceDays: number) {
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: 'EdDSA', typ: 'nomina-licence-file+jwt', kid: expect.any(String) });
  const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'], audience: request.product, typ: 'nomina-licence-file+jwt' });
  const d = request.device;
  expect(payload).toMatchObject({
    iss: expect.any(String), sub: expect.any(String), dev: expect.any(String), code: 'VALID', valid: true, ent: expect.any(Array), tel: expect.stringMatching(/^(on|off)$/),
    nonce: request.nonce, jti: expect.stringMatching(/^[0-9a-f-]{36}$/), mode: 'offline', cnf: { jwk: request.devicePublicKey },
    idh: {
      user: idHash(request.nonce, `${d.ntDomain.toLowerCase()}\\${d.ntUsername.toLowerCase()}`),
      pc: idHash(request.nonce, d.pcName.toUpperCase()),
      macs: d.macAddresses.map((m) => idHash(request.nonce, m.toUpperCase())),
    },
  });
  const exp = payload.exp!;
  const iat = payload.iat!;
  const vu = payload.vu as string | number | null | undefined;
  const validUntil = typeof vu === 'string' ? Date.parse(vu) / 1000 : typeof vu === 'number' ? vu : Infinity;
  expect(exp).toBe(Math.min(iat + offlineLicenceDays * 86_400, Math.floor(validUntil)));
  // Nothing in the file shows the identity to whoever carries it.
  const text = Buffer.from(jws.split('.')[1], 'base64url').toString('utf8');
  for (const plain of [d.pcName, d.ntUsername, ...d.macAddresses]) expect(text).not.toContain(plain);
  return payload as typeof payload & { sub: string; dev: string; jti: string };
}
