import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { identityMethodOf, presentRequest } from '../requests/present-request';

/**
 * The subject's requests. Erasure keeps each request as a non-identifying record (type, dates,
 * status, receipt, random subject reference) and erases the free text that may describe the
 * person (reason, how identity was checked, extension reason, outcome notes).
 */
export const privacyRequestsStore: SubjectDataStore = {
  name: 'privacy_requests', category: 'privacy_requests', models: ['PrivacyRequest'],
  legalBasisForKeeping: 'A record that each request was received and answered in time (type, dates, status, signed receipt; no personal data) is kept for 5 years to demonstrate compliance (GDPR Art. 5(2), 12).',
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.privacyRequest.findMany({ where: { subjectRef: scope.contactId }, orderBy: { receivedAt: 'asc' } });
    return Promise.all(rows.map(async (r) => ({ ...(await presentRequest(services, r)), identityMethod: await identityMethodOf(services, r) })));
  }),
  async erase(_services, scope, tx) {
    return (await tx.privacyRequest.updateMany({
      where: { subjectRef: scope.contactId },
      data: { contactId: null, reason: null, identityMethod: null, extensionReason: null, outcome: null },
    })).count;
  },
  count: (services, scope) => services.prisma.privacyRequest.count({
    where: {
      subjectRef: scope.contactId,
      // `outcome` is not counted: the erasure request's own outcome is written by the system after the erasure, without personal data.
      OR: [{ contactId: { not: null } }, { reason: { not: null } }, { identityMethod: { not: null } }, { extensionReason: { not: null } }],
    },
  }),
  kept: (services, scope) => services.prisma.privacyRequest.count({ where: { subjectRef: scope.contactId } }),
};
