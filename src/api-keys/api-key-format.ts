/**
 * API keys: `nmk_` + 32 random bytes in base64url. The prefix tells them apart from staff
 * session tokens (JWTs) in the same Authorization header, and lets secret scanners spot a
 * leaked one. Like licence keys they are stored only as HMAC-SHA256(pepper, key) plus the last
 * 4 characters; the domain label keeps the two kinds of digest apart.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'nmk_';
const KEY_PATTERN = /^nmk_[A-Za-z0-9_-]{43}$/;

export function isApiKeyShaped(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export function apiKeyDigest(pepper: Buffer, key: string): string {
  return createHmac('sha256', pepper).update(`api_key\0${key}`).digest('base64url');
}

/** The digest to look a presented key up by; a malformed one gets a digest no key can have. */
export function apiKeyLookup(pepper: Buffer, presented: string): string {
  return apiKeyDigest(pepper, KEY_PATTERN.test(presented) ? presented : `malformed\0${presented.slice(0, 128)}`);
}

export function generateApiKey(pepper: Buffer): { key: string; digest: string; last4: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, digest: apiKeyDigest(pepper, key), last4: key.slice(-4) };
}

export const maskedApiKey = (last4: string) => `${API_KEY_PREFIX}…${last4}`;
