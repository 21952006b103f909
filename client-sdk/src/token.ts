import { checkJwtClaims, verifyCompactJws, type ProtectedHeader } from './jws.js';
import type { TrustedKeyStore } from './trusted-keys.js';

export const TOKEN_ISSUER = 'nomina';

/** The licence token's claims, exactly as the server issues them (docs/architecture.md §4). */
export interface LicenceClaims {
  sub: string;
  lic: string;
  dev: string | null;
  code: string;
  valid: boolean;
  ent: string[];
  vu: string | null;
  tel: 'on' | 'off';
  nonce: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string | string[];
}

export type TokenRejection =
  | 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'WRONG_ISSUER' | 'WRONG_AUDIENCE' | 'WRONG_NONCE' | 'EXPIRED' | 'BAD_CLAIMS';

export type TokenVerification =
  | { ok: true; claims: LicenceClaims; kid: string }
  | { ok: false; reason: TokenRejection; kid: string | null };

export interface TokenExpectations {
  keys: TrustedKeyStore;
  product: string;
  /** The nonce this client sent; omitted only when re-reading a cached token offline. */
  nonce?: string;
  now: Date;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

function asLicenceClaims(payload: Record<string, unknown>): LicenceClaims | null {
  const p = payload as Record<string, unknown>;
  const wellTyped =
    isString(p.sub) && isString(p.lic) && isStringOrNull(p.dev) && isString(p.code) && typeof p.valid === 'boolean' &&
    Array.isArray(p.ent) && p.ent.every(isString) && isStringOrNull(p.vu) && (p.tel === 'on' || p.tel === 'off') &&
    isString(p.nonce) && typeof p.iat === 'number' && typeof p.exp === 'number';
  return wellTyped ? (payload as unknown as LicenceClaims) : null;
}

/**
 * Trust comes from the signature by a trusted key, the echoed nonce (this answer was made for this
 * request, not replayed) and `exp` (the end of the offline grace) — never from the transport.
 */
export async function verifyLicenceToken(token: string, expect: TokenExpectations): Promise<TokenVerification> {
  // A licence file (or anything else signed with the same keys) must not pass for a token: it is
  // bound to one PC, and only importLicenceFile() checks that binding. No key is offered for
  // another typ, so its signature is not even checked.
  const isTokenType = (header: ProtectedHeader) => header.typ === undefined || header.typ === 'JWT';
  const signed = verifyCompactJws(token, (header) => (isTokenType(header) && typeof header.kid === 'string' ? expect.keys.getKey(header.kid) : undefined));
  const kid = typeof signed.header?.kid === 'string' ? signed.header.kid : null;
  if (signed.header && !isTokenType(signed.header)) return { ok: false, reason: 'MALFORMED', kid };
  if (!signed.ok) return { ok: false, reason: signed.reason, kid };
  // Only now, with the signature verified, is anything in the payload believed.
  const checked = checkJwtClaims(signed.payload, { issuer: TOKEN_ISSUER, audience: expect.product, now: expect.now, requiredClaims: ['iat', 'exp', 'nonce'] });
  if (!checked.ok) return { ok: false, reason: checked.reason, kid };
  const claims = asLicenceClaims(checked.payload);
  if (!claims) return { ok: false, reason: 'BAD_CLAIMS', kid };
  if (expect.nonce !== undefined && claims.nonce !== expect.nonce) return { ok: false, reason: 'WRONG_NONCE', kid };
  return { ok: true, claims, kid: kid! };
}
