import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ActivationRequest } from '../../src/offline/request-file';
import type { SigningKey } from './signing';

const DAY = 86_400_000;

/** The contract's identity hash, written out again here so the SDK's own is tested, not reused. */
export function contractHash(nonce: string, value: string): string {
  return createHash('sha256').update(nonce + '\n' + value).digest('base64url');
}

export interface LicenceFileOverrides {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  iat?: Date;
  exp?: Date;
}

/** A licence file as the service issues it for `request` (docs/offline-activation.md §3). */
export async function signLicenceFile(key: SigningKey, request: ActivationRequest, overrides: LicenceFileOverrides = {}): Promise<string> {
  const { device, nonce } = request;
  const iat = overrides.iat ?? new Date(request.createdAt);
  const exp = overrides.exp ?? new Date(iat.getTime() + 30 * DAY);
  const claims = {
    iss: 'nomina', aud: request.product, sub: 'lic_1', lic: 'lic_1', dev: 'dev_off', code: 'VALID', valid: true, ent: ['export'], vu: null, tel: 'on', nonce,
    jti: randomUUID(), mode: 'offline', cnf: { jwk: request.devicePublicKey },
    idh: {
      user: contractHash(nonce, `${device.ntDomain.toLowerCase()}\\${device.ntUsername.toLowerCase()}`),
      pc: contractHash(nonce, device.pcName.toUpperCase()),
      macs: device.macAddresses.map((mac) => contractHash(nonce, mac.toUpperCase())),
    },
    ...overrides.claims,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'nomina-licence-file+jwt', ...overrides.header })
    .setIssuedAt(Math.floor(iat.getTime() / 1000))
    .setExpirationTime(Math.floor(exp.getTime() / 1000))
    .sign(key.privateKey);
}
