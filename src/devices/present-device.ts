import type { Device, DeviceMac } from '../generated/prisma/client';
import type { Services } from '../services';
import { mask, type View } from '../staff/personal-data-view';
import { DEVICE_FIELDS, holderOpener, maskAccount, maskMac } from './device-crypto';
import { z } from 'zod';
import { Instant } from '../http/common-schemas';

export type DeviceWithMacs = Device & { macs: DeviceMac[] };

export async function presentDevices(services: Services, holderId: string, devices: DeviceWithMacs[], view: View) {
  const open = await holderOpener(services, holderId);
  const full = view === 'full';
  return devices.map((device) => {
    const pcName = open(DEVICE_FIELDS.pcName, device.pcNameEnc);
    const account = open(DEVICE_FIELDS.lastNtAccount, device.lastNtAccountEnc);
    return {
      id: device.id,
      licenceId: device.licenceId,
      pcName: full ? pcName : mask(pcName),
      lastNtAccount: full ? account : maskAccount(account),
      macAddresses: device.macs.map((m) => {
        const mac = open(DEVICE_FIELDS.mac, m.macEnc);
        return { mac: full ? mac : maskMac(mac), firstSeenAt: m.firstSeenAt.toISOString(), lastSeenAt: m.lastSeenAt.toISOString() };
      }),
      firstSeenAt: device.firstSeenAt.toISOString(),
      lastSeenAt: device.lastSeenAt.toISOString(),
      releasedAt: device.releasedAt?.toISOString() ?? null,
      releasedBy: device.releasedBy,
      activationMode: device.activationMode,
      offlineExpiresAt: device.offlineExpiresAt?.toISOString() ?? null,
      view,
    };
  });
}

export const DeviceView = z.object({
  id: z.uuid(), licenceId: z.uuid(),
  pcName: z.string().nullable(), lastNtAccount: z.string().nullable(),
  macAddresses: z.array(z.object({ mac: z.string().nullable(), firstSeenAt: Instant, lastSeenAt: Instant })),
  firstSeenAt: Instant, lastSeenAt: Instant,
  releasedAt: Instant.nullable(), releasedBy: z.string().nullable(),
  activationMode: z.enum(['online', 'offline']).describe('offline: activated from a request file (docs/offline-activation.md) and not seen online since'),
  offlineExpiresAt: Instant.nullable().describe("when the device's current licence file expires (null: none)"),
  view: z.enum(['full', 'masked']),
});
