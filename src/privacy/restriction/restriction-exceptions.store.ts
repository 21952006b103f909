import { fromArray, iso, subjectKey } from '../subject-data';
import type { SubjectDataStore } from '../subject-data';

/** Exceptions to the subject's restriction (Art. 18(2)): exported with their reason, erased with the subject. */
export const restrictionExceptionsStore: SubjectDataStore = {
  name: 'restriction_exceptions', category: 'privacy_requests', models: ['RestrictionException'],
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.restrictionException.findMany({ where: { contactId: scope.contactId }, orderBy: { recordedAt: 'asc' } });
    const key = await subjectKey(services, scope.contactId);
    return rows.map((r) => ({
      ground: r.ground, recordedAt: iso(r.recordedAt), expiresAt: iso(r.expiresAt),
      reason: key ? services.subjects.decryptWith(key, scope.contactId, 'restriction_exception.reason', r.reasonEnc) : null,
    }));
  }),
  erase: async (_services, scope, tx) => (await tx.restrictionException.deleteMany({ where: { contactId: scope.contactId } })).count,
  count: (services, scope) => services.prisma.restrictionException.count({ where: { contactId: scope.contactId } }),
};
