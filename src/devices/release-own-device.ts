import { notFound } from '../http/problem';
import type { Services } from '../services';
import { releaseDevice } from './release-device';

/**
 * The holder frees one of their own computers from the privacy page (docs/architecture.md, "Release and transfer": "or the holder,
 * self-service"), within the licence's transfer budget like the SDK. A device of another
 * holder's licence is a 404. Audited as the subject's action.
 */
export async function releaseOwnDevice(services: Services, contactId: string, deviceId: string, requestId: string) {
  const device = await services.prisma.device.findFirst({ where: { id: deviceId, licence: { holderId: contactId } }, select: { licenceId: true } });
  if (!device) throw notFound('device');
  const { device: released } = await releaseDevice(services, {
    licenceId: device.licenceId, deviceId, by: 'subject', actor: { type: 'subject', id: contactId }, requestId,
  });
  return { id: released.id, releasedAt: released.releasedAt?.toISOString() ?? null };
}
