/** MAC addresses seen on the subject's devices. Owner to take over: issue 3 (src/devices). */
import { DEVICE_FIELDS } from '../../devices/device-crypto';
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso, openField, subjectKey } from './field-crypto';

export const MAC_LABELS = [DEVICE_FIELDS.mac];

export const deviceMacsStore: SubjectDataStore = {
  name: 'device_macs', category: 'device_data', models: ['DeviceMac'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.deviceMac.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { firstSeenAt: 'asc' } });
    return rows.map((m) => ({ deviceId: m.deviceId, mac: openField(services, key, scope.contactId, m.macEnc, MAC_LABELS), firstSeenAt: iso(m.firstSeenAt), lastSeenAt: iso(m.lastSeenAt) }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.deviceMac.deleteMany({ where: { OR: [{ licenceId: { in: scope.licenceIds } }, { deviceId: { in: scope.deviceIds } }] } })).count;
  },
  count: (services, scope) => services.prisma.deviceMac.count({ where: { OR: [{ licenceId: { in: scope.licenceIds } }, { deviceId: { in: scope.deviceIds } }] } }),
};
