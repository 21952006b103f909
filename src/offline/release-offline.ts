/**
 * Accepts a release file (docs/offline-activation.md §4): a JWS the offline PC signed with its
 * device key. It proves the PC gave up its licence file, so the seat is freed exactly as any
 * release is (release-device.ts: row lock, transfer budget), once: the file must name the
 * device's current licence file.
 */
import { decodeJwt, errors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { Actor } from '../audit/audit-trail';
import { releaseDevice, type ReleaseInput } from '../devices/release-device';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';

export const RELEASE_FILE_TYPE = 'nomina-release+jwt';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReleaseCaller {
  actor: Actor;
  by: ReleaseInput['by'];
  /** the holder road: only devices of the holder's own licences (404 otherwise) */
  holderId?: string;
  reason?: string | null;
  requestId: string;
  beforeRelease?: (holderId: string) => Promise<void>;
}

const malformed = (detail: string) => new AppError('VALIDATION_FAILED', `/release: ${detail}`, { errors: [{ pointer: '/release', detail }] });
const invalid = (detail: string) => new AppError('RELEASE_INVALID', detail);

/** The claims before verification: only to find the device whose key must verify them. */
function unverifiedClaims(jws: string): JWTPayload {
  try {
    return decodeJwt(jws);
  } catch {
    throw malformed('not a release file: its payload is not a JSON object');
  }
}

export async function releaseOffline(services: Services, jws: string, caller: ReleaseCaller) {
  const unverified = unverifiedClaims(jws);
  if (typeof unverified.dev !== 'string' || !UUID.test(unverified.dev)) throw malformed('the release file names no device (`dev`)');
  const device = await services.prisma.device.findUnique({
    where: { id: unverified.dev.toLowerCase() },
    select: { id: true, licenceId: true, offlinePublicKey: true, licence: { select: { holderId: true, product: { select: { code: true } } } } },
  });
  if (!device || (caller.holderId !== undefined && device.licence.holderId !== caller.holderId)) throw notFound('device');
  if (!device.offlinePublicKey) throw invalid('this device was never activated from a request file: it has no device key to verify a release file with');

  let claims: JWTPayload;
  try {
    const key = await importJWK(device.offlinePublicKey as Record<string, string>, 'EdDSA');
    ({ payload: claims } = await jwtVerify(jws, key, { algorithms: ['EdDSA'], typ: RELEASE_FILE_TYPE, currentDate: services.now() }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw invalid('the release file is not signed by this device\'s key, or is not a release file (typ nomina-release+jwt)');
    throw error;
  }
  if (claims.lic !== device.licenceId) throw invalid('the release file names another licence than its device\'s');
  if (claims.product !== device.licence.product.code) throw invalid('the release file names another product than its licence\'s');
  if (typeof claims.act !== 'string' || !claims.act) throw invalid('the release file names no licence file (`act`)');

  await caller.beforeRelease?.(device.licence.holderId);
  const { device: released } = await releaseDevice(services, {
    licenceId: device.licenceId, deviceId: device.id, by: caller.by, actor: caller.actor,
    purpose: caller.reason ?? null, requestId: caller.requestId, offlineActivationId: claims.act,
  });
  return { licenceId: device.licenceId, deviceId: device.id, releasedAt: released.releasedAt!.toISOString() };
}
