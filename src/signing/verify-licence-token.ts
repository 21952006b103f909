/**
 * Verifies a licence token issued by POST /v1/validate: our signature (any published key, so
 * tokens signed before a rotation still pass), issuer, expiry and claim types. For routes that
 * take the licence token as bearer credential: device release, telemetry.
 */
import { errors, jwtVerify } from 'jose';
import type { Services } from '../services';
import { licenceSigner, TOKEN_ISSUER } from './licence-signer';

export interface VerifiedLicenceToken {
  licenceId: string;
  /** null when the verdict concerned no device (e.g. TOO_MANY_MACHINES) */
  deviceId: string | null;
  /** the product the token was issued for (its audience) */
  productCode: string;
  valid: boolean;
  code: string;
  telemetry: 'on' | 'off';
  expiresAt: Date;
}

export async function verifyLicenceToken(services: Services, token: string): Promise<VerifiedLicenceToken | null> {
  const signer = licenceSigner(services);
  try {
    const { payload } = await jwtVerify(token, async (header) => {
      const key = await signer.publicKey(header.kid);
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key;
    }, { issuer: TOKEN_ISSUER, algorithms: ['EdDSA'], typ: 'JWT', currentDate: services.now(), requiredClaims: ['lic', 'exp', 'iat', 'aud'] });
    const p = payload as Record<string, unknown>;
    if (typeof p.lic !== 'string' || typeof p.aud !== 'string' || typeof p.valid !== 'boolean' || typeof p.code !== 'string') return null;
    if (p.dev !== null && typeof p.dev !== 'string') return null;
    return {
      licenceId: p.lic, deviceId: p.dev as string | null, productCode: p.aud, valid: p.valid, code: p.code,
      telemetry: p.tel === 'on' ? 'on' : 'off', expiresAt: new Date((payload.exp as number) * 1000),
    };
  } catch {
    return null;
  }
}
