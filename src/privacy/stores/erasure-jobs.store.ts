import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/** Erasure jobs hold only the random subject reference, progress counts and the signed receipt. */
export const erasureJobsStore: SubjectDataStore = {
  name: 'erasure_jobs', category: 'erasure_proof', models: ['ErasureJob'],
  legalBasisForKeeping: 'The erasure job and its signed receipt are the proof that the erasure happened (GDPR Art. 5(2), 17, 19); they hold no personal data.',
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.erasureJob.findMany({ where: { subjectId: scope.contactId }, orderBy: { startedAt: 'asc' } });
    return rows.map((r) => ({ id: r.id, status: r.status, startedAt: iso(r.startedAt), completedAt: iso(r.completedAt) }));
  }),
  erase: async () => 0,
  count: async () => 0,
  kept: (services, scope) => services.prisma.erasureJob.count({ where: { subjectId: scope.contactId } }),
};
