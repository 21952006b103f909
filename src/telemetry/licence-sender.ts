/**
 * The licence token as the SDK's credential for telemetry (docs/architecture.md §6). Signature, issuer and
 * expiry were checked by the pipeline (src/http/authenticate.ts) before the body was read; here,
 * what telemetry adds: a token that records a refused validation (wrong product, too many
 * machines…) or names another product than the batch does not authorise collection.
 */
import type { Request } from 'express';
import { licenceTokenOf } from '../http/authenticate';
import { AppError } from '../http/problem';
import type { VerifiedLicenceToken } from '../signing/verify-licence-token';

export function telemetrySender(req: Request, claimedProduct?: string): VerifiedLicenceToken {
  const verified = licenceTokenOf(req);
  // Unreachable through the route table (access kind "licence"); a fault if it happens.
  if (!verified) throw new Error('telemetry route mounted without licence authentication');
  if (!verified.valid) throw new AppError('LICENCE_NOT_USABLE', `the token records a refused validation (${verified.code})`);
  if (claimedProduct !== undefined && claimedProduct.toUpperCase() !== verified.productCode.toUpperCase()) {
    throw new AppError('LICENCE_NOT_USABLE', 'the licence token was issued for another product');
  }
  return verified;
}
