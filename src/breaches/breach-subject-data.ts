/**
 * The subject's side of breach and sub-processor notices: the breaches recorded as affecting
 * them and the notices sent to them. Erasure removes the link to the person; a notice keeps
 * its kind and date (the controller's proof that people were told) without saying who.
 */
import type { SubjectDataStore } from '../privacy/subject-data';
import { fromArray, iso } from '../privacy/subject-data';

export const breachNoticesStore: SubjectDataStore = {
  name: 'breach_notices', category: 'breach_notifications', models: ['BreachAffectedSubject', 'Notice'],
  export: (services, scope) => fromArray(async () => {
    const affected = await services.prisma.breachAffectedSubject.findMany({ where: { contactId: scope.contactId }, include: { breach: true } });
    const notices = await services.prisma.notice.findMany({ where: { contactId: scope.contactId }, orderBy: { at: 'asc' } });
    return [
      ...affected.map((a) => ({ type: 'affected_by_breach', breachId: a.breachId, title: a.breach.title, awareAt: iso(a.breach.awareAt), categories: a.breach.categories, measures: a.breach.measures })),
      ...notices.map((n) => ({ type: 'notice', kind: n.kind, status: n.status, at: iso(n.at), breachId: n.breachId, subProcessorChangeId: n.subProcessorChangeId })),
    ];
  }),
  async erase(_services, scope, tx) {
    const links = await tx.breachAffectedSubject.deleteMany({ where: { contactId: scope.contactId } });
    const notices = await tx.notice.updateMany({ where: { contactId: scope.contactId }, data: { contactId: null } });
    return links.count + notices.count;
  },
  async count(services, scope) {
    return (await services.prisma.breachAffectedSubject.count({ where: { contactId: scope.contactId } }))
      + (await services.prisma.notice.count({ where: { contactId: scope.contactId } }));
  },
};
