/**
 * The files of an air-gapped PC, made as docs/offline-activation.md says the SDK makes them — with
 * node:crypto and jose only, not with the server's code, so the tests check the server against
 * the contract rather than against itself.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import type TestAgent from 'supertest/lib/agent';
import { aDevice, type DeviceInput } from '../validation/validate-helpers';

export interface OfflinePc {
  device: DeviceInput;
  privateKey: KeyObject;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
}

/** A PC with its device key pair (the SDK keeps one per storage directory). */
export function anOfflinePc(device: DeviceInput = aDevice()): OfflinePc {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { device, privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! } };
}

export function activationRequest(pc: OfflinePc, key: string, product: string, overrides: Record<string, unknown> = {}) {
  return {
    format: 'nomina-activation-request', version: 1, product, key, device: pc.device,
    app: { version: '5.2.1', os: 'Windows 11 23H2' },
    nonce: randomBytes(16).toString('base64url'), createdAt: new Date().toISOString(), devicePublicKey: pc.publicJwk,
    ...overrides,
  };
}

/** The text form: raw DEFLATE, base64url, lines of 64, between the armour lines. */
export function requestText(request: unknown): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(request), 'utf8')).toString('base64url');
  return ['-----BEGIN NOMINA ACTIVATION REQUEST-----', ...body.match(/.{1,64}/g)!, '-----END NOMINA ACTIVATION REQUEST-----'].join('\n');
}

/** The release file: signed with the device's private key. */
export function releaseFile(pc: OfflinePc, claims: { lic: string; dev: string; act: string; product: string }, typ = 'nomina-release+jwt'): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', typ }).setIssuedAt().sign(pc.privateKey);
}

/** `base64url(SHA-256(nonce + "\n" + value))`, as the licence file's `idh` holds them. */
export const identityHash = (nonce: string, value: string) => createHash('sha256').update(`${nonce}\n${value}`).digest('base64url');

/** The licence file's lines (docs/offline-activation.md §3): the licence JWS, then the service's key set, one compact JWS per published key. */
export function licenceFileLines(licenceFile: string): { licence: string; keySet: string[] } {
  const [licence = '', ...keySet] = licenceFile.split('\n');
  return { licence, keySet };
}

/** Verifies a licence file's first line as the SDK does: the service's published keys, its typ, issuer and audience. */
export async function verifyLicenceFile(api: TestAgent, licenceFile: string, product: string) {
  const jwks = (await api.get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
  return jwtVerify(licenceFileLines(licenceFile).licence, createLocalJWKSet(jwks), { issuer: 'nomina', audience: product, algorithms: ['EdDSA'], typ: 'nomina-licence-file+jwt' });
}

/** Verifies each key-set line of a licence file with the published keys; returns each line's signing kid and payload. */
export async function verifyKeySetLines(api: TestAgent, licenceFile: string) {
  const jwks = (await api.get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
  return Promise.all(licenceFileLines(licenceFile).keySet.map(async (line) => {
    const { payload, protectedHeader } = await compactVerify(line, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    return { header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload)) as { iss: string; iat: number; keys: JSONWebKeySet['keys'] } };
  }));
}
