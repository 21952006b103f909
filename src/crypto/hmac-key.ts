import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new WeakMap<Buffer, KeyObject>();

/**
 * The secret as a KeyObject, made once per secret: createHmac with a KeyObject skips copying and
 * preparing raw key bytes on every call (≈ 3 µs of ≈ 7 µs per HMAC, and a validation computes
 * six). The digests are the same.
 */
export function hmacKey(secret: Buffer): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    keys.set(secret, key);
  }
  return key;
}
