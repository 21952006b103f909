/**
 * The licence token as the SDK's credential for telemetry (DESIGN §6): signature, issuer and
 * expiry are checked by the signing module; here, what telemetry adds. A token that records a
 * refused validation (wrong product, too many machines…) or names another product than the
 * batch does not authorise collection.
 */
import type { Request } from 'express';
import { AppError } from '../http/problem';
import type { Services } from '../services';
import { verifyLicenceToken, type VerifiedLicenceToken } from '../signing/verify-licence-token';

/**
 * An SDK sends many batches with one token: its verified claims are kept for a minute (the
 * signer's own key-reload period), so a batch costs no signature check. Expiry is still checked
 * on every use; what can change in a minute (suspension, objection) is read from the database.
 */
const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;
const verifiedTokens = new WeakMap<Services, Map<string, { claims: VerifiedLicenceToken; until: number }>>();

async function verifyCached(services: Services, token: string): Promise<VerifiedLicenceToken | null> {
  let cache = verifiedTokens.get(services);
  if (!cache) verifiedTokens.set(services, (cache = new Map()));
  const now = services.now().getTime();
  const hit = cache.get(token);
  if (hit && hit.until > now && hit.claims.expiresAt.getTime() > now) return hit.claims;
  const claims = await verifyLicenceToken(services, token);
  if (claims) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(token, { claims, until: now + CACHE_MS });
  } else {
    cache.delete(token);
  }
  return claims;
}

function bearerToken(req: Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
}

export async function telemetrySender(services: Services, req: Request, claimedProduct?: string): Promise<VerifiedLicenceToken> {
  const token = bearerToken(req);
  if (!token) throw new AppError('UNAUTHENTICATED', 'send the licence token from POST /v1/validate as a bearer token');
  const verified = await verifyCached(services, token);
  if (!verified) throw new AppError('UNAUTHENTICATED', 'the licence token is invalid or expired; validate again');
  if (!verified.valid) throw new AppError('LICENCE_NOT_USABLE', `the token records a refused validation (${verified.code})`);
  if (claimedProduct !== undefined && claimedProduct.toUpperCase() !== verified.productCode.toUpperCase()) {
    throw new AppError('LICENCE_NOT_USABLE', 'the licence token was issued for another product');
  }
  return verified;
}
