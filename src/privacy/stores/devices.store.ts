/** Devices (activations) of the subject's licences. Owner to take over: issue 3 (src/devices). */
import { DEVICE_FIELDS } from '../../devices/device-crypto';
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso, openField, subjectKey } from './field-crypto';

export const PC_NAME_LABELS = [DEVICE_FIELDS.pcName];
export const LAST_NT_ACCOUNT_LABELS = [DEVICE_FIELDS.lastNtAccount];

export const devicesStore: SubjectDataStore = {
  name: 'devices', category: 'device_data', models: ['Device'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.device.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { firstSeenAt: 'asc' } });
    return rows.map((d) => ({
      id: d.id, licenceId: d.licenceId, pcName: openField(services, key, scope.contactId, d.pcNameEnc, PC_NAME_LABELS),
      lastNtAccount: openField(services, key, scope.contactId, d.lastNtAccountEnc, LAST_NT_ACCOUNT_LABELS),
      firstSeenAt: iso(d.firstSeenAt), lastSeenAt: iso(d.lastSeenAt), releasedAt: iso(d.releasedAt), releasedBy: d.releasedBy,
    }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.device.deleteMany({ where: { licenceId: { in: scope.licenceIds } } })).count;
  },
  count: (services, scope) => services.prisma.device.count({ where: { licenceId: { in: scope.licenceIds } } }),
};
