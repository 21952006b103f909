import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

/**
 * Ed25519 JWS verification on node:crypto, for the two kinds of signed object the SDK reads: the
 * licence token (compact JWS/JWT) and the signed key set (compact or General JSON JWS).
 *
 * Why not jose (which the server signs with): jose 6 is ESM-only, and loading it from this
 * CommonJS package cost 17–27 ms in a fresh process, on every app start (issue 15, README
 * "Start-up time"). What is verified here is deliberately narrow — one algorithm, keys that are
 * public Ed25519 KeyObjects, the signature checked before anything in the payload is believed —
 * and mirrors jose's checks for it (tests/token.test.ts signs with jose and checks each refusal).
 */

export const SIGNATURE_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519'];

/** A public Ed25519 JWK as pinned in an app or listed in a signed key set. */
export interface PublicJwk {
  kty?: string;
  crv?: string;
  x?: string;
  kid: string;
  alg?: string;
  use?: string;
  [parameter: string]: unknown;
}

/** General JWS JSON Serialization (RFC 7515 §7.2.1); only a base64url string payload is accepted. */
export interface GeneralJws {
  payload: string | Uint8Array;
  signatures: Array<{ protected?: string; header?: Record<string, unknown>; signature: string }>;
}

export interface ProtectedHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
  [parameter: string]: unknown;
}

/** Returns the key for a (verified-to-be-well-formed) protected header, or undefined when none is trusted. */
export type KeyResolver = (header: ProtectedHeader) => KeyObject | undefined;

export type JwsRejection = 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';

export type JwsVerification =
  | { ok: true; header: ProtectedHeader; payload: Buffer; key: KeyObject }
  | { ok: false; reason: JwsRejection; header: ProtectedHeader | null };

// Strict base64url: Buffer.from(…, 'base64url') skips characters it does not know instead of failing.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function parseJsonObject(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The protected header of a compact JWS, without verifying anything (e.g. to read its `kid`). */
export function decodeProtectedHeader(protectedSegment: string): ProtectedHeader | null {
  if (protectedSegment.length === 0 || !BASE64URL.test(protectedSegment)) return null;
  return parseJsonObject(Buffer.from(protectedSegment, 'base64url'));
}

/** Imports a public Ed25519 JWK; throws TypeError for anything else (RSA, private key material, a bad `x`). */
export function importPublicEd25519(jwk: unknown): [kid: string, key: KeyObject] {
  const candidate = jwk as Partial<PublicJwk> | null;
  if (!candidate || candidate.kty !== 'OKP' || candidate.crv !== 'Ed25519' || typeof candidate.x !== 'string' || typeof candidate.kid !== 'string') {
    throw new TypeError('a trusted key must be a public Ed25519 JWK with a kid');
  }
  if ('d' in candidate) throw new TypeError(`key ${candidate.kid} contains private key material; pin the public key only`);
  if (!BASE64URL.test(candidate.x)) throw new TypeError(`key ${candidate.kid} is not a valid Ed25519 key`);
  try {
    return [candidate.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: candidate.x }, format: 'jwk' })];
  } catch {
    throw new TypeError(`key ${candidate.kid} is not a valid Ed25519 key`);
  }
}

/** One signature over `protected.payload` (RFC 7515 §5.2): header checks, then the signature itself. */
export function verifySignedParts(protectedSegment: string, payloadSegment: string, signatureSegment: string, resolveKey: KeyResolver): JwsVerification {
  const header = decodeProtectedHeader(protectedSegment);
  if (!header || !BASE64URL.test(payloadSegment) || signatureSegment.length === 0 || !BASE64URL.test(signatureSegment)) {
    return { ok: false, reason: 'MALFORMED', header };
  }
  // No extension is understood, so any critical one must be refused (RFC 7515 §4.1.11); with
  // none, `b64` is never in effect and the payload is always base64url.
  if (header.crit !== undefined) return { ok: false, reason: 'MALFORMED', header };
  if (typeof header.alg !== 'string' || !SIGNATURE_ALGORITHMS.includes(header.alg)) return { ok: false, reason: 'BAD_SIGNATURE', header };
  const key = resolveKey(header);
  if (!key) return { ok: false, reason: 'UNKNOWN_KEY', header };
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') return { ok: false, reason: 'BAD_SIGNATURE', header };
  let valid = false;
  try {
    valid = verifySignature(null, Buffer.from(`${protectedSegment}.${payloadSegment}`, 'ascii'), key, Buffer.from(signatureSegment, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'BAD_SIGNATURE', header };
  return { ok: true, header, payload: Buffer.from(payloadSegment, 'base64url'), key };
}

export function verifyCompactJws(jws: unknown, resolveKey: KeyResolver): JwsVerification {
  if (typeof jws !== 'string') return { ok: false, reason: 'MALFORMED', header: null };
  const parts = jws.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'MALFORMED', header: null };
  return verifySignedParts(parts[0]!, parts[1]!, parts[2]!, resolveKey);
}

/**
 * A General JSON JWS verifies when one of its signatures does. Only the protected (signed) header
 * is read: an unprotected `header` could name any kid or typ.
 */
export function verifyGeneralJws(document: unknown, resolveKey: KeyResolver): JwsVerification {
  const candidate = document as Partial<GeneralJws> | null;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.payload !== 'string' || !Array.isArray(candidate.signatures)) {
    return { ok: false, reason: 'MALFORMED', header: null };
  }
  let failure: JwsVerification = { ok: false, reason: 'BAD_SIGNATURE', header: null };
  for (const entry of candidate.signatures) {
    if (!entry || typeof entry.protected !== 'string' || typeof entry.signature !== 'string') continue;
    const result = verifySignedParts(entry.protected, candidate.payload, entry.signature, resolveKey);
    if (result.ok) return result;
    failure = result;
  }
  return failure;
}

export type ClaimRejection = 'MALFORMED' | 'WRONG_ISSUER' | 'WRONG_AUDIENCE' | 'EXPIRED' | 'BAD_CLAIMS';

export interface ClaimExpectations {
  issuer: string;
  audience: string;
  now: Date;
  /** Must be present (iss and aud always are). */
  requiredClaims: readonly string[];
}

/**
 * The registered claims of a verified JWT's payload, checked as jose's jwtVerify does with no clock
 * tolerance: `exp <= now` is expired, `nbf > now` is not yet valid, `iat` must be a number.
 */
export function checkJwtClaims(payloadBytes: Buffer, expect: ClaimExpectations): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: ClaimRejection } {
  const payload = parseJsonObject(payloadBytes);
  if (!payload) return { ok: false, reason: 'MALFORMED' };
  for (const claim of expect.requiredClaims) if (!(claim in payload)) return { ok: false, reason: 'BAD_CLAIMS' };
  if (payload.iss !== expect.issuer) return { ok: false, reason: 'WRONG_ISSUER' };
  const audience = payload.aud;
  const audienceMatches = typeof audience === 'string' ? audience === expect.audience : Array.isArray(audience) && audience.includes(expect.audience);
  if (!audienceMatches) return { ok: false, reason: 'WRONG_AUDIENCE' };
  const now = Math.floor(expect.now.getTime() / 1000);
  if (payload.iat !== undefined && typeof payload.iat !== 'number') return { ok: false, reason: 'BAD_CLAIMS' };
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) return { ok: false, reason: 'BAD_CLAIMS' };
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') return { ok: false, reason: 'BAD_CLAIMS' };
    if (payload.exp <= now) return { ok: false, reason: 'EXPIRED' };
  }
  return { ok: true, payload };
}
