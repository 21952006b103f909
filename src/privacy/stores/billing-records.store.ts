import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/**
 * Billing records of the subject's licences. They hold no personal data (organisation, licence
 * reference, product, dates) and are kept for the Belgian VAT Code; the licences store creates
 * the record before deleting a licence that has none.
 */
export const billingRecordsStore: SubjectDataStore = {
  name: 'billing_records', category: 'billing_records', models: ['BillingRecord'],
  legalBasisForKeeping: 'Belgian VAT Code art. 60: invoicing records are kept 10 years (GDPR Art. 6(1)(c), 17(3)(b)); only the organisation, licence reference, product and dates are kept, nothing about the person.',
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.billingRecord.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { issuedAt: 'asc' } });
    return rows.map((r) => ({ licenceId: r.licenceId, productCode: r.productCode, issuedAt: iso(r.issuedAt), validFrom: iso(r.validFrom), validUntil: iso(r.validUntil) }));
  }),
  erase: async () => 0,
  count: async () => 0,
  kept: (services, scope) => services.prisma.billingRecord.count({ where: { licenceId: { in: scope.licenceIds } } }),
};
