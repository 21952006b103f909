/**
 * What start() and the air-gapped calls (offline/offline-activation.ts) check and derive the same
 * way before doing anything: the key and its product, the key's digest (which names what is saved
 * for it), and this PC's identity.
 */
import { createHash } from 'node:crypto';
import { InvalidKeyError } from './errors.js';
import { collectDeviceIdentity, type DeviceIdentity, type IdentitySources } from './identity.js';
import { normaliseKey } from './key-format.js';

/** Throws InvalidKeyError for a mistyped key or one for another product. */
export function checkedKey(key: string, productOption: string): { canonical: string; product: string } {
  const parsed = normaliseKey(key);
  if (!parsed.ok) throw new InvalidKeyError(parsed.reason, parsed.message);
  // The server upper-cases the product code and signs for that audience: 'acme' must verify as 'ACME'.
  const product = productOption.trim().toUpperCase();
  if (parsed.prefix !== product) throw new InvalidKeyError('WRONG_PRODUCT', `This licence key is for product ${parsed.prefix}, not ${productOption}.`);
  return { canonical: parsed.canonical, product };
}

export const keyDigestOf = (canonicalKey: string): string => createHash('sha256').update(canonicalKey).digest('hex');

/** A ready identity as given (tests, non-Windows hosts), or this PC's, collected from its sources. */
export function resolveIdentity(identity: DeviceIdentity | Partial<IdentitySources> | undefined): DeviceIdentity {
  if (identity && 'macAddresses' in identity) return identity;
  return collectDeviceIdentity(identity ?? {});
}
