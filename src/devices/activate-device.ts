/**
 * The writes validation makes under the licence's row lock: a new device (an activation), a
 * known device that changed (renamed, new MAC, another NT user), and the binding of an NT
 * account. Identifiers are sealed with the holder's key; only their blind indexes are matched.
 */
import type { Tx } from '../audit/audit-trail';
import { DEVICE_FIELDS, type Sealer } from './device-crypto';
import type { DeviceIdentity } from './device-identity';
import type { DeviceCandidate } from './match-device';

export async function activateDevice(tx: Tx, sealer: Sealer, licenceId: string, identity: DeviceIdentity, now: Date): Promise<string> {
  const device = await tx.device.create({
    data: {
      licenceId, pcNameIndex: identity.pcNameIndex, pcNameEnc: sealer.seal(DEVICE_FIELDS.pcName, identity.pcName),
      lastNtAccountIndex: identity.ntAccountIndex, lastNtAccountEnc: sealer.seal(DEVICE_FIELDS.lastNtAccount, identity.ntAccount),
      firstSeenAt: now, lastSeenAt: now,
      macs: { create: identity.macs.map((mac, i) => ({ licenceId, macIndex: identity.macIndexes[i], macEnc: sealer.seal(DEVICE_FIELDS.mac, mac), firstSeenAt: now, lastSeenAt: now })) },
    },
    select: { id: true },
  });
  return device.id;
}

/** Brings a known device up to date. MACs are added, never dropped: a docking station comes and goes. */
export async function refreshDevice(tx: Tx, sealer: Sealer, licenceId: string, device: DeviceCandidate, identity: DeviceIdentity, now: Date): Promise<void> {
  await tx.device.update({
    where: { id: device.id },
    data: {
      lastSeenAt: now,
      ...(device.pcNameMatch ? {} : { pcNameIndex: identity.pcNameIndex, pcNameEnc: sealer.seal(DEVICE_FIELDS.pcName, identity.pcName) }),
      ...(device.lastNtAccountIndex === identity.ntAccountIndex ? {} : {
        lastNtAccountIndex: identity.ntAccountIndex, lastNtAccountEnc: sealer.seal(DEVICE_FIELDS.lastNtAccount, identity.ntAccount),
      }),
    },
  });
  const added = identity.macs.map((mac, i) => ({ mac, macIndex: identity.macIndexes[i] })).filter((m) => !device.macIndexes.includes(m.macIndex));
  if (added.length > 0) {
    await tx.deviceMac.createMany({
      data: added.map((m) => ({ deviceId: device.id, licenceId, macIndex: m.macIndex, macEnc: sealer.seal(DEVICE_FIELDS.mac, m.mac), firstSeenAt: now, lastSeenAt: now })),
      skipDuplicates: true,
    });
  }
  if (identity.macIndexes.length > added.length) {
    await tx.deviceMac.updateMany({ where: { deviceId: device.id, macIndex: { in: identity.macIndexes } }, data: { lastSeenAt: now } });
  }
}

export async function bindAccount(tx: Tx, sealer: Sealer, licenceId: string, identity: DeviceIdentity, now: Date): Promise<void> {
  await tx.licenceUser.create({
    data: { licenceId, ntAccountIndex: identity.ntAccountIndex, ntUserIndex: identity.ntUserIndex ?? null, ntAccountEnc: sealer.seal(DEVICE_FIELDS.boundAccount, identity.ntAccount), boundAt: now },
  });
}
