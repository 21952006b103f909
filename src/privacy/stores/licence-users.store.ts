/** NT accounts bound to the subject's licences. Owner to take over: issue 3 (src/licences). */
import { DEVICE_FIELDS } from '../../devices/device-crypto';
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso, openField, subjectKey } from './field-crypto';

export const NT_ACCOUNT_LABELS = [DEVICE_FIELDS.boundAccount];

export const licenceUsersStore: SubjectDataStore = {
  name: 'licence_users', category: 'licence_data', models: ['LicenceUser'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.licenceUser.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { boundAt: 'asc' } });
    return rows.map((u) => ({ licenceId: u.licenceId, ntAccount: openField(services, key, scope.contactId, u.ntAccountEnc, NT_ACCOUNT_LABELS), boundAt: iso(u.boundAt) }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.licenceUser.deleteMany({ where: { licenceId: { in: scope.licenceIds } } })).count;
  },
  count: (services, scope) => services.prisma.licenceUser.count({ where: { licenceId: { in: scope.licenceIds } } }),
};
