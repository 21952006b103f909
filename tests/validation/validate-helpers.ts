import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Harness } from '../support/harness';

let seq = 0;
/** A distinct, well-formed unicast MAC (globally administered, not a hypervisor OUI). */
export function randomMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] & 0xfc) | 0x00;
  bytes[5] = (seq++) & 0xff;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export interface DeviceInput { ntUsername: string; ntDomain: string; pcName: string; macAddresses: string[] }

export function aDevice(overrides: Partial<DeviceInput> = {}): DeviceInput {
  return { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: `LAPTOP-${randomBytes(3).toString('hex').toUpperCase()}`, macAddresses: [randomMac()], ...overrides };
}

export function validateBody(key: string, product: string, device: DeviceInput, extra: Record<string, unknown> = {}) {
  return { key, product, device, app: { version: '5.2.1', os: 'Windows 11 23H2' }, nonce: randomBytes(12).toString('base64url'), clientTime: new Date().toISOString(), ...extra };
}

/** POST /v1/validate from its own client address, so the per-address limit of one test does not reach another. */
export function validate(h: Harness, body: Record<string, unknown>, address = `10.${seq % 250}.${(seq++ >> 8) % 250}.${seq % 250}`) {
  return h.api.post('/v1/validate').set('X-Forwarded-For', address).send(body);
}

export async function verifyWithJwks(h: Harness, token: string, audience: string) {
  const jwks = (await h.api.get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'nomina', audience, algorithms: ['EdDSA'] });
}
