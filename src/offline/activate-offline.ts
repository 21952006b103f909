/**
 * Turns an activation request into a licence file (docs/offline-activation.md §5). The checks are
 * those of POST /v1/validate — run by the same function (validate-under-lock.ts), under the same
 * row lock, so online and offline activations share one machine count — and the licence file's
 * binding is written to the device in that transaction. A known device is renewed: same seat,
 * new licence file (the previous one can no longer be released with its own release file).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/audit-trail';
import { identifyDevice } from '../devices/device-identity';
import type { ValidationCode } from '../generated/prisma/enums';
import { AppError, notFound } from '../http/problem';
import { keyLookup } from '../licences/licence-keys';
import type { Services } from '../services';
import { licenceSigner } from '../signing/licence-signer';
import { validateUnderLock } from '../validation/validate-under-lock';
import { VERDICT_DETAIL } from '../validation/validation-checks';
import { emitValidated } from '../validation/validation-hooks';
import { LICENCE_FILE_NAME, LICENCE_FILE_TYPE, licenceFileClaims, licenceFileExpiry } from './licence-file-claims';
import type { ActivationRequest } from './offline.schemas';

/** A request file older than this is refused: stale files should not circulate. */
export const MAX_REQUEST_AGE_MS = 30 * 86_400_000;

export interface OfflineCaller {
  actor: Actor;
  /** the holder road: only the holder's own licences (another's, or an unknown key: 404) */
  holderId?: string;
  /** staff's reason, sealed into the audit entry like a stated purpose */
  reason?: string | null;
  requestId: string;
  /** staff and API keys: checked against the holder's processing restriction once the licence is known */
  beforeActivation?: (holderId: string) => Promise<void>;
}

/** A refusal of the checks: 422 with the validation code as `code` (the contract's table). */
function refused(code: ValidationCode): AppError {
  return new AppError('UNPROCESSABLE', VERDICT_DETAIL[code], { extra: { code } });
}

export async function activateOffline(services: Services, request: ActivationRequest, caller: OfflineCaller) {
  const now = services.now();
  if (now.getTime() - request.createdAt.getTime() > MAX_REQUEST_AGE_MS) {
    throw new AppError('REQUEST_TOO_OLD', 'the request was made more than 30 days ago; make a new request on the offline PC', { errors: [{ pointer: '/request/createdAt', detail: 'more than 30 days ago' }] });
  }
  const lookup = keyLookup(services.config.secrets.keyPepper, request.key);
  const licence = await services.prisma.licence.findUnique({
    where: { keyDigest: lookup.digest }, select: { id: true, holderId: true, policy: { select: { offlineLicenceDays: true } } },
  });
  if (caller.holderId !== undefined && licence?.holderId !== caller.holderId) throw notFound('licence');
  if (!licence) throw refused('NOT_FOUND');
  if (licence.policy.offlineLicenceDays === 0) throw new AppError('OFFLINE_NOT_ALLOWED', "this licence's policy does not allow offline activation (offlineLicenceDays is 0)");
  await caller.beforeActivation?.(licence.holderId);

  const identity = identifyDevice(services.blindIndex, request.device);
  const activationId = randomUUID();
  const outcome = await validateUnderLock(services, licence.id, identity, { product: request.product, activate: true }, {
    // The upload's network is not the PC's: no network hash. createdAt is the PC's clock at the request.
    appVersion: request.app?.version ?? null, osVersion: request.app?.os ?? null, clientTime: request.createdAt, at: now, networkHash: null,
  }, {
    async onValid(tx, facts, device) {
      const expiresAt = licenceFileExpiry(now, facts.policy.offlineLicenceDays, facts.validUntil);
      await tx.device.update({
        where: { id: device.id },
        data: { activationMode: 'offline', offlineActivationId: activationId, offlineExpiresAt: expiresAt, offlinePublicKey: request.devicePublicKey, lastSeenAt: now },
        select: { id: true },
      });
      await services.audit.record({
        actor: caller.actor, action: 'offline_activation.issued', subjectId: facts.holderId, resource: { type: 'device', id: device.id },
        purpose: caller.reason ?? null, requestId: caller.requestId,
        details: { licenceId: facts.id, activationId, newDevice: device.isNew, expiresAt: expiresAt.toISOString() },
      }, tx);
      return expiresAt;
    },
  });
  const { facts, code, device } = outcome;
  emitValidated(services, {
    at: now, code, source: 'offline',
    licence: facts && { id: facts.id, customerId: facts.customerId, holderId: facts.holderId, profilingStopped: facts.profilingStopped },
    policy: facts?.policy ?? null, device,
    ntAccountIndex: identity.ntAccountIndex, pcNameIndex: identity.pcNameIndex, macIndexes: identity.macIndexes,
    // Neither the uploader's network nor a request's days-old clock says anything about the PC now.
    networkHash: null, clientTime: null,
  });
  if (code !== 'VALID' || !facts || !device || !outcome.extra) throw refused(code);

  const expiresAt = outcome.extra;
  const telemetry: 'on' | 'off' = facts.policy.telemetry === 'off' || facts.holderOptedOut ? 'off' : 'on';
  const signer = licenceSigner(services);
  const licenceJws = await signer.sign(licenceFileClaims({
    activationId, licenceId: facts.id, deviceId: device.id, productCode: facts.productCode, entitlements: facts.entitlements,
    validUntil: facts.validUntil, telemetry, nonce: request.nonce, offlineLicenceDays: facts.policy.offlineLicenceDays,
    device: request.device, devicePublicKey: request.devicePublicKey,
  }, now), LICENCE_FILE_TYPE);
  // The key set rides along (§3): an air-gapped PC never fetches /.well-known/jwks.signed, and would
  // otherwise refuse every file signed by a key rotated in after its app was built.
  const licenceFile = [licenceJws, ...await signer.signedKeySetLines()].join('\n');
  return {
    licenceFile, fileName: LICENCE_FILE_NAME, licenceId: facts.id, deviceId: device.id, newDevice: device.isNew,
    expiresAt: expiresAt.toISOString(), validUntil: facts.validUntil?.toISOString() ?? null, entitlements: facts.entitlements,
  };
}
