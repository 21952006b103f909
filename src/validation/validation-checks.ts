/**
 * The verdict of a validation as an ordered list of checks (docs/architecture.md §4): the first failure wins,
 * and a failure is a value — a 200 with a code — not an error. Licence state comes first, then
 * the request's context. Pure: the facts and `now` are given.
 */
import type { ValidationCode } from '../generated/prisma/enums';

export interface LicenceRules {
  status: 'active' | 'suspended' | 'revoked';
  validFrom: Date;
  validUntil: Date | null;
  productCode: string;
  maxUsers: number;
  maxMachines: number;
}

/** The device the request was matched to within the licence, if any. */
export type DeviceMatch = { kind: 'none' } | { kind: 'active'; id: string } | { kind: 'released'; id: string };

export interface CheckFacts {
  licence: LicenceRules | null;
  requestedProduct: string;
  /** the request's NT account is already bound to the licence */
  accountBound: boolean;
  boundAccounts: number;
  device: DeviceMatch;
  activeDevices: number;
  /** the user asked to activate a released PC again */
  activate: boolean;
}

type Check = (facts: CheckFacts & { licence: LicenceRules }, now: Date) => ValidationCode | null;

export const CHECKS: ReadonlyArray<readonly [name: string, check: Check]> = [
  ['status', ({ licence }) => (licence.status === 'revoked' ? 'REVOKED' : licence.status === 'suspended' ? 'SUSPENDED' : null)],
  ['not yet valid', ({ licence }, now) => (now < licence.validFrom ? 'NOT_YET_VALID' : null)],
  ['expired', ({ licence }, now) => (licence.validUntil && now >= licence.validUntil ? 'EXPIRED' : null)],
  ['product', ({ licence, requestedProduct }) => (licence.productCode !== requestedProduct ? 'PRODUCT_MISMATCH' : null)],
  // Nominative: the first accounts to use the licence are bound to it, up to maxUsers.
  ['account', (f) => (!f.accountBound && f.boundAccounts >= f.licence.maxUsers ? 'USER_MISMATCH' : null)],
  ['released', (f) => (f.device.kind === 'released' && !f.activate ? 'DEVICE_RELEASED' : null)],
  // Only a device that would take a new seat is counted against maxMachines.
  ['machines', (f) => (f.device.kind !== 'active' && f.activeDevices >= f.licence.maxMachines ? 'TOO_MANY_MACHINES' : null)],
];

export function runChecks(facts: CheckFacts, now: Date): ValidationCode {
  const { licence } = facts;
  if (!licence) return 'NOT_FOUND';
  for (const [, check] of CHECKS) {
    const code = check({ ...facts, licence }, now);
    if (code) return code;
  }
  return 'VALID';
}

export const VERDICT_DETAIL: Record<ValidationCode, string> = {
  VALID: 'The licence is valid on this computer.',
  NOT_FOUND: 'No licence has this key; check the key.',
  SUSPENDED: 'This licence is suspended; contact your administrator.',
  REVOKED: 'This licence was revoked.',
  NOT_YET_VALID: 'This licence is not valid yet.',
  EXPIRED: 'This licence has expired.',
  PRODUCT_MISMATCH: 'This key belongs to another product.',
  USER_MISMATCH: 'This licence is bound to another Windows account.',
  TOO_MANY_MACHINES: 'This licence is active on as many computers as it allows; release one first.',
  DEVICE_RELEASED: 'This computer was released from the licence; activate it again to use it here.',
};
