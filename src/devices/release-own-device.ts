import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { releaseDevice } from './release-device';

/**
 * The holder frees one of their own computers from the privacy page (docs/architecture.md, "Release and transfer": "or the holder,
 * self-service"), within the licence's transfer budget like the SDK. A device of another
 * holder's licence is a 404. Audited as the subject's action.
 */
export async function releaseOwnDevice(services: Services, contactId: string, deviceId: string, requestId: string) {
  const device = await services.prisma.device.findFirst({
    where: { id: deviceId, licence: { holderId: contactId } }, select: { licenceId: true, releasedAt: true, offlineActivationId: true, offlineExpiresAt: true },
  });
  if (!device) throw notFound('device');
  // A PC activated offline keeps running on its licence file until the file expires: a button here would
  // free its seat while it still works (one more PC than the licence allows, for up to offlineLicenceDays).
  // Its own release file proves the PC has stopped; staff can still release a lost PC (docs/offline-activation.md §4).
  if (!device.releasedAt && device.offlineActivationId && device.offlineExpiresAt && device.offlineExpiresAt > services.now()) {
    throw new AppError('OFFLINE_RELEASE_NEEDS_FILE', 'this PC was activated with a licence file that is still valid: upload the release file its app writes');
  }
  const { device: released } = await releaseDevice(services, {
    licenceId: device.licenceId, deviceId, by: 'subject', actor: { type: 'subject', id: contactId }, requestId,
  });
  return { id: released.id, releasedAt: released.releasedAt?.toISOString() ?? null };
}
