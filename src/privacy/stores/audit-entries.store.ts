import { presentAuditEntry } from '../../audit/present-audit-entry';
import type { AuditEntry } from '../../generated/prisma/client';
import type { SubjectDataStore } from '../subject-data';

/**
 * The audit trail about the subject: every staff access with its stated purpose, and the
 * subject's own actions. Erasure nulls each entry's `details` (the only part that may hold
 * personal data); the chain covers the details' digest, not the details, so it stays valid.
 */
export const auditEntriesStore: SubjectDataStore = {
  name: 'access_log', category: 'access_log', models: ['AuditEntry'],
  legalBasisForKeeping: 'Who accessed or changed data, when and for what purpose is kept without details, as the integrity-protected record of processing (GDPR Art. 5(2), 32).',
  async *export(services, scope) {
    let after = 0n;
    for (;;) {
      const page: AuditEntry[] = await services.prisma.auditEntry.findMany({
        where: { subjectId: scope.contactId, seq: { gt: after } }, orderBy: { seq: 'asc' }, take: 1000,
      });
      for (const entry of page) {
        const presented = await presentAuditEntry(services, entry);
        yield {
          at: presented.at, who: entry.actorType === 'staff' ? { type: 'staff', staffId: entry.actorId } : { type: entry.actorType },
          action: presented.action, purpose: presented.purpose, resource: presented.resource, details: presented.details,
        };
      }
      if (page.length < 1000) return;
      after = page[page.length - 1].seq;
    }
  },
  async erase(_services, scope, tx) {
    return (await tx.auditEntry.updateMany({ where: { subjectId: scope.contactId, details: { not: null } }, data: { details: null } })).count;
  },
  count: (services, scope) => services.prisma.auditEntry.count({ where: { subjectId: scope.contactId, details: { not: null } } }),
  kept: (services, scope) => services.prisma.auditEntry.count({ where: { subjectId: scope.contactId } }),
};
