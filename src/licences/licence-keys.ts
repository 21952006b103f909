/**
 * Licence keys on the server. The format is defined once, in the SDK's dependency-free
 * key-format.ts; here they are only issued and digested. A key is never stored: only
 * HMAC-SHA256(pepper, canonical key) for lookup and its last 4 characters for display
 * (argon2 would cap validation at ~100/s per core and cannot be indexed, docs/architecture.md §4).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { generateKey, normaliseKey } from '../../client-sdk/src/key-format';
import { hmacKey } from '../crypto/hmac-key';

export interface KeyLookup {
  digest: string;
  /** false for a string that is not a well-formed key: it is looked up all the same (same work) */
  wellFormed: boolean;
}

export function keyDigest(pepper: Buffer, canonicalKey: string): string {
  return createHmac('sha256', hmacKey(pepper)).update(canonicalKey).digest('base64url');
}

/**
 * The digest to look a typed key up by. A malformed key gets a digest too (of a value no canonical
 * key can take), so an unknown and a mistyped key cost the same as a found one.
 */
export function keyLookup(pepper: Buffer, input: string): KeyLookup {
  const parsed = normaliseKey(input);
  if (parsed.ok) return { digest: keyDigest(pepper, parsed.canonical), wellFormed: true };
  return { digest: keyDigest(pepper, `malformed\0${input.slice(0, 128)}`), wellFormed: false };
}

export function issueKey(pepper: Buffer, productCode: string): { key: string; digest: string; last4: string } {
  const key = generateKey(productCode, (length) => randomBytes(length));
  return { key, digest: keyDigest(pepper, key), last4: key.slice(-4) };
}

/** What staff see of a key: the product prefix and the last 4 characters. */
export function maskedKey(productCode: string, last4: string): string {
  return `${productCode}-•••••-•••••-•••••-•••••-•${last4}`;
}
