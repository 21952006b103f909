/**
 * The claims of a licence file (docs/offline-activation.md §3): the licence token's claims, plus the
 * binding to one device — its identity as salted hashes, its public key (RFC 7800 `cnf`), the
 * request's nonce — and a lifetime of the policy's `offlineLicenceDays`, never beyond the
 * licence's own end. Pure: `now` is given.
 */
import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { normaliseNtAccount, normalisePcName } from '../crypto/blind-index';
import type { DeviceBody } from '../devices/device-identity';
import { verdictClaims } from '../validation/verdict-token';
import type { DevicePublicKey } from './offline.schemas';

export const LICENCE_FILE_TYPE = 'nomina-licence-file+jwt';
export const LICENCE_FILE_NAME = 'nomina-licence.lic';

export interface LicenceFileInput {
  activationId: string;
  licenceId: string;
  deviceId: string;
  productCode: string;
  entitlements: string[];
  validUntil: Date | null;
  telemetry: 'on' | 'off';
  nonce: string;
  offlineLicenceDays: number;
  device: DeviceBody;
  devicePublicKey: DevicePublicKey;
}

/**
 * Hashed so the file does not show the identity at a glance and two files of one PC cannot be
 * linked (salted with the nonce). Not a secret: the nonce is in the file and PC or account names
 * can be guessed — the request file that travels the same road holds the identity in clear. The SDK computes the same values from its own identity:
 * the NT account and PC name as the blind indexes normalise them, MACs in canonical form.
 */
export function identityHashes(nonce: string, device: DeviceBody): { user: string; pc: string; macs: string[] } {
  const h = (value: string) => createHash('sha256').update(`${nonce}\n${value}`, 'utf8').digest('base64url');
  return {
    user: h(normaliseNtAccount(device.ntDomain ?? null, device.ntUsername)),
    pc: h(normalisePcName(device.pcName)),
    macs: device.macAddresses.map(h),
  };
}

/** When the file stops working: offlineLicenceDays from now, or the licence's end if sooner. */
export function licenceFileExpiry(now: Date, offlineLicenceDays: number, validUntil: Date | null): Date {
  const exp = now.getTime() + offlineLicenceDays * 86_400_000;
  return new Date(validUntil ? Math.min(exp, validUntil.getTime()) : exp);
}

export function licenceFileClaims(input: LicenceFileInput, now: Date): JWTPayload {
  const token = verdictClaims({
    licenceId: input.licenceId, deviceId: input.deviceId, productCode: input.productCode, code: 'VALID',
    entitlements: input.entitlements, validUntil: input.validUntil, telemetry: input.telemetry, nonce: input.nonce, offlineGraceHours: 0,
  }, now);
  return {
    ...token,
    jti: input.activationId,
    mode: 'offline',
    cnf: { jwk: { kty: input.devicePublicKey.kty, crv: input.devicePublicKey.crv, x: input.devicePublicKey.x } },
    idh: identityHashes(input.nonce, input.device),
    exp: Math.floor(licenceFileExpiry(now, input.offlineLicenceDays, input.validUntil).getTime() / 1000),
  };
}
