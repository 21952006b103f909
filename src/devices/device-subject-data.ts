/**
 * The devices module's part of a data subject's export and erasure (src/privacy/subject-data.ts):
 * the devices (activations) of their licences and the MAC addresses seen on them, opened with
 * the holder's key under the labels of ./device-crypto.ts.
 */
import type { SubjectDataStore } from '../privacy/subject-data';
import { fromArray, iso, openField, subjectKey } from '../privacy/subject-data';
import { DEVICE_FIELDS } from './device-crypto';

const PC_NAME_LABELS = [DEVICE_FIELDS.pcName];
const LAST_NT_ACCOUNT_LABELS = [DEVICE_FIELDS.lastNtAccount];
const MAC_LABELS = [DEVICE_FIELDS.mac];

export const devicesStore: SubjectDataStore = {
  name: 'devices', category: 'device_data', models: ['Device'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.device.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { firstSeenAt: 'asc' } });
    return rows.map((d) => ({
      id: d.id, licenceId: d.licenceId, pcName: openField(services, key, scope.contactId, d.pcNameEnc, PC_NAME_LABELS),
      lastNtAccount: openField(services, key, scope.contactId, d.lastNtAccountEnc, LAST_NT_ACCOUNT_LABELS),
      firstSeenAt: iso(d.firstSeenAt), lastSeenAt: iso(d.lastSeenAt), releasedAt: iso(d.releasedAt), releasedBy: d.releasedBy,
      activationMode: d.activationMode, offlineExpiresAt: iso(d.offlineExpiresAt),
    }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.device.deleteMany({ where: { licenceId: { in: scope.licenceIds } } })).count;
  },
  count: (services, scope) => services.prisma.device.count({ where: { licenceId: { in: scope.licenceIds } } }),
};

/** Erasure and its verification look by licence or by device, so a row whose two links disagree is still found. */
const macsOf = (scope: { licenceIds: string[]; deviceIds: string[] }) => ({ OR: [{ licenceId: { in: scope.licenceIds } }, { deviceId: { in: scope.deviceIds } }] });

export const deviceMacsStore: SubjectDataStore = {
  name: 'device_macs', category: 'device_data', models: ['DeviceMac'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.deviceMac.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { firstSeenAt: 'asc' } });
    return rows.map((m) => ({ deviceId: m.deviceId, mac: openField(services, key, scope.contactId, m.macEnc, MAC_LABELS), firstSeenAt: iso(m.firstSeenAt), lastSeenAt: iso(m.lastSeenAt) }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.deviceMac.deleteMany({ where: macsOf(scope) })).count;
  },
  count: (services, scope) => services.prisma.deviceMac.count({ where: macsOf(scope) }),
};
