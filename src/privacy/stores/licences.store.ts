/**
 * Licences held by the subject. Owner to take over: issue 3 (src/licences).
 * Read directly from the table for now. Before a licence is deleted, the minimal billing record
 * the VAT Code requires is made sure to exist (kept apart, without personal data).
 * The erasure use case refuses to run while a licence is running unless the privacy officer
 * decided to end it (see src/privacy/erasure/erase-subject.ts).
 */
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso } from './field-crypto';

export const licencesStore: SubjectDataStore = {
  name: 'licences', category: 'licence_data', models: ['Licence'],
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.licence.findMany({
      where: { holderId: scope.contactId }, orderBy: { createdAt: 'asc' },
      include: { product: { select: { code: true, name: true } }, customer: { select: { name: true } } },
    });
    return rows.map((l) => ({
      id: l.id, organisation: l.customer.name, product: l.product.code, productName: l.product.name, status: l.status,
      statusReason: l.statusReason, keyEndsWith: l.keyLast4, validFrom: iso(l.validFrom), validUntil: iso(l.validUntil),
      entitlements: l.entitlements, createdAt: iso(l.createdAt),
    }));
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
