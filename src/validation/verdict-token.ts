import type { JWTPayload } from 'jose';
import type { ValidationCode } from '../generated/prisma/enums';
import { TOKEN_ISSUER } from '../signing/licence-signer';

/** A refusal is signed too (so the SDK can trust a "no"), but for a short while only. */
export const REFUSAL_TOKEN_SECONDS = 300;
const MIN_TOKEN_SECONDS = 60;

export interface VerdictClaimsInput {
  licenceId: string;
  deviceId: string | null;
  /** the product the request named: the SDK checks the token was made for it */
  productCode: string;
  code: ValidationCode;
  entitlements: string[];
  validUntil: Date | null;
  telemetry: 'on' | 'off';
  nonce: string;
  offlineGraceHours: number;
}

/**
 * The licence token's claims (docs/architecture.md §4, as the SDK reads them). A valid verdict lasts the
 * policy's offline grace, but never beyond the licence's own end (and at least a minute, so a
 * zero grace still yields a token that verifies now).
 */
export function verdictClaims(input: VerdictClaimsInput, now: Date): JWTPayload {
  const iat = Math.floor(now.getTime() / 1000);
  const valid = input.code === 'VALID';
  let exp = iat + (valid ? Math.max(input.offlineGraceHours * 3600, MIN_TOKEN_SECONDS) : REFUSAL_TOKEN_SECONDS);
  if (valid && input.validUntil) exp = Math.max(iat + MIN_TOKEN_SECONDS, Math.min(exp, Math.floor(input.validUntil.getTime() / 1000)));
  return {
    iss: TOKEN_ISSUER, aud: input.productCode, sub: input.licenceId,
    lic: input.licenceId, dev: input.deviceId, code: input.code, valid,
    ent: valid ? input.entitlements : [], vu: input.validUntil?.toISOString() ?? null, tel: input.telemetry,
    nonce: input.nonce, iat, exp,
  };
}
