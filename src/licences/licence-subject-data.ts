/**
 * The licences module's part of a data subject's export and erasure (src/privacy/subject-data.ts):
 * the licences they hold and the NT accounts bound to them.
 *
 * Before a licence is deleted, the minimal billing record the VAT Code requires is made sure to
 * exist (kept apart, without personal data). The erasure use case refuses to run while a licence
 * is running unless the privacy officer decided to end it (src/privacy/erasure/erase-subject.ts).
 */
import { DEVICE_FIELDS } from '../devices/device-crypto';
import type { SubjectDataStore } from '../privacy/subject-data';
import { fromArray, iso, openField, subjectKey } from '../privacy/subject-data';
import { openText } from '../crypto/sealed-text';

/** The validation use case seals a bound account with the devices module's sealer, under this label. */
const NT_ACCOUNT_LABELS = [DEVICE_FIELDS.boundAccount];

export const licencesStore: SubjectDataStore = {
  name: 'licences', category: 'licence_data', models: ['Licence'],
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.licence.findMany({
      where: { holderId: scope.contactId }, orderBy: { createdAt: 'asc' },
      include: { product: { select: { code: true, name: true } }, customer: { select: { name: true } } },
    });
    return Promise.all(rows.map(async (l) => ({
      id: l.id, organisation: l.customer.name, product: l.product.code, productName: l.product.name, status: l.status,
      statusReason: await openText(services, scope.contactId, 'licence.status_reason', l.statusReason), keyEndsWith: l.keyLast4, validFrom: iso(l.validFrom), validUntil: iso(l.validUntil),
      entitlements: l.entitlements, createdAt: iso(l.createdAt),
    })));
  }),
  async erase(_services, scope, tx) {
    const licences = await tx.licence.findMany({ where: { holderId: scope.contactId }, include: { product: { select: { code: true } } } });
    for (const l of licences) {
      const billed = await tx.billingRecord.count({ where: { licenceId: l.id } });
      if (billed === 0) {
        await tx.billingRecord.create({ data: { customerId: l.customerId, licenceId: l.id, productCode: l.product.code, issuedAt: l.createdAt, validFrom: l.validFrom, validUntil: l.validUntil } });
      }
    }
    return (await tx.licence.deleteMany({ where: { holderId: scope.contactId } })).count;
  },
  count: (services, scope) => services.prisma.licence.count({ where: { holderId: scope.contactId } }),
};

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
