/**
 * AES-256-GCM with associated data. Ciphertexts are self-describing text:
 * `v1.<base64url(iv ‖ tag ‖ ciphertext)>`, so a column shows no plaintext and a future format
 * can coexist with this one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1.';

export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Throws when the key is wrong or the text was tampered with (GCM authentication). */
export function open(key: Buffer, sealed: string, aad: string): Buffer {
  if (!sealed.startsWith(VERSION)) throw new Error('unknown ciphertext format');
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
