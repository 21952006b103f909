import type { DeviceIdentity } from '../identity.js';
import { checkJwtClaims, verifyCompactJws, type ClaimRejection, type JwsRejection } from '../jws.js';
import { TOKEN_ISSUER, type LicenceClaims } from '../token.js';
import type { TrustedKeyStore } from '../trusted-keys.js';
import { sameDevicePublicKey, type DeviceKey, type DevicePublicJwk } from './device-key.js';
import { identityMatches, type IdentityHashes } from './identity-hash.js';
import { LicenceFileError, type LicenceFileErrorCode } from './licence-file-error.js';

/** Protected-header `typ` of a licence file; a licence token (`JWT`) is never accepted as one, nor the reverse. */
export const LICENCE_FILE_TYPE = 'nomina-licence-file+jwt';
export const LICENCE_FILE_NAME = 'nomina-licence.lic';

/** The licence token's claims plus the binding to one request, one device key and one identity (§3). */
export interface LicenceFileClaims extends LicenceClaims {
  dev: string;
  jti: string;
  mode: 'offline';
  cnf: { jwk: DevicePublicJwk };
  idh: IdentityHashes;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const isString = (value: unknown): value is string => typeof value === 'string';

/** An Ed25519 signature is 64 bytes: 86 base64url characters. */
const SIGNATURE_LENGTH = 86;

export interface LicenceFileParts {
  /** the licence (compact JWS), the file's first line */
  licence: string;
  /** the service's signed key set, one compact JWS per published key (none in a file of one line) */
  keySets: string[];
}

/**
 * The file as carried (§3): bytes or text, the licence on its first line, the key set on the
 * following ones. A mail program may have re-wrapped the lines; then they are not whole JWSs, and
 * the text is read again without its white space, each JWS ending with its Ed25519 signature.
 */
export function licenceFileParts(contents: string | Uint8Array): LicenceFileParts {
  const text = typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
  const lines = text.split(/[\r\n]+/).map((line) => line.replace(/\s+/g, '')).filter((line) => line.length > 0);
  const [licence = '', ...keySets] = lines.every((line) => COMPACT_JWS.test(line)) ? lines : unwrap(lines.join(''));
  return { licence, keySets };
}

/** `h.p.s` JWSs run together: between two payloads is one's signature followed by the next one's header. */
function unwrap(text: string): string[] {
  const segments = text.split('.');
  if (segments.length % 2 === 0) return [text]; // not a run of JWSs: refused as malformed
  const jwss: string[] = [];
  let header = segments[0]!;
  for (let i = 1; i + 1 < segments.length; i += 2) {
    const rest = segments[i + 1]!;
    const last = i + 2 === segments.length;
    jwss.push(`${header}.${segments[i]!}.${last ? rest : rest.slice(0, SIGNATURE_LENGTH)}`);
    header = rest.slice(SIGNATURE_LENGTH);
  }
  return jwss;
}

function asLicenceFileClaims(p: Record<string, unknown>): LicenceFileClaims | null {
  const cnf = p.cnf as { jwk?: Record<string, unknown> } | undefined;
  const idh = p.idh as Partial<IdentityHashes> | undefined;
  const wellTyped =
    isString(p.sub) && isString(p.lic) && isString(p.dev) && isString(p.code) && typeof p.valid === 'boolean' &&
    Array.isArray(p.ent) && p.ent.every(isString) && (p.vu === null || isString(p.vu)) && (p.tel === 'on' || p.tel === 'off') &&
    isString(p.nonce) && isString(p.jti) && typeof p.iat === 'number' && typeof p.exp === 'number' &&
    typeof cnf?.jwk === 'object' && cnf.jwk !== null && isString(cnf.jwk.x) &&
    isString(idh?.user) && isString(idh.pc) && Array.isArray(idh.macs) && idh.macs.every(isString);
  return wellTyped ? (p as unknown as LicenceFileClaims) : null;
}

/** How the verifier's refusals read for a licence file (a wrong issuer is not the service's file). */
const REFUSALS: Record<JwsRejection | ClaimRejection, LicenceFileErrorCode> = {
  MALFORMED: 'LICENCE_FILE_MALFORMED',
  UNKNOWN_KEY: 'LICENCE_FILE_UNTRUSTED',
  BAD_SIGNATURE: 'LICENCE_FILE_UNTRUSTED',
  WRONG_ISSUER: 'LICENCE_FILE_UNTRUSTED',
  WRONG_AUDIENCE: 'LICENCE_FILE_WRONG_PRODUCT',
  EXPIRED: 'LICENCE_FILE_EXPIRED',
  BAD_CLAIMS: 'LICENCE_FILE_MALFORMED',
};

/**
 * Signed by a trusted service key, of the licence-file type, for this product and still valid.
 * Throws LicenceFileError. Says nothing yet about which PC it belongs to: see checkBinding().
 * Verified on node:crypto (src/jws.ts), as tokens are: start() reads this file, and jose would
 * cost its load time on every start of an air-gapped PC (issue 15).
 */
export async function verifyLicenceFile(file: string, expect: { keys: TrustedKeyStore; product: string; now: Date }): Promise<LicenceFileClaims> {
  if (!COMPACT_JWS.test(file)) throw new LicenceFileError('LICENCE_FILE_MALFORMED');
  // A key is offered only for the licence-file type, so a token never has its signature checked as one.
  const signed = verifyCompactJws(file, (header) => (header.typ === LICENCE_FILE_TYPE && typeof header.kid === 'string' ? expect.keys.getKey(header.kid) : undefined));
  if (!signed.header) throw new LicenceFileError('LICENCE_FILE_MALFORMED');
  if (signed.header.typ !== LICENCE_FILE_TYPE) throw new LicenceFileError('LICENCE_FILE_UNTRUSTED');
  if (!signed.ok) throw new LicenceFileError(REFUSALS[signed.reason]);
  const checked = checkJwtClaims(signed.payload, { issuer: TOKEN_ISSUER, audience: expect.product, now: expect.now, requiredClaims: ['iat', 'exp', 'nonce', 'jti'] });
  if (!checked.ok) throw new LicenceFileError(REFUSALS[checked.reason]);
  const claims = asLicenceFileClaims(checked.payload);
  if (!claims) throw new LicenceFileError('LICENCE_FILE_MALFORMED');
  if (claims.mode !== 'offline' || claims.code !== 'VALID' || claims.valid !== true) throw new LicenceFileError('LICENCE_FILE_UNTRUSTED');
  return claims;
}

/** Bound to this storage's device key and to this PC's account, name and a MAC; checked at import and every start. */
export function checkBinding(claims: LicenceFileClaims, deviceKey: DeviceKey | null, identity: DeviceIdentity): void {
  if (!deviceKey || !sameDevicePublicKey(claims.cnf.jwk, deviceKey.publicJwk)) throw new LicenceFileError('LICENCE_FILE_OTHER_DEVICE');
  if (!identityMatches(claims.idh, claims.nonce, identity)) throw new LicenceFileError('LICENCE_FILE_OTHER_DEVICE');
}
