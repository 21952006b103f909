import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/**
 * The subject's data key. Destroying it is what makes every remaining copy of their encrypted
 * fields unreadable (crypto-shredding); the row stays, without key material, as proof.
 */
export const subjectKeyStore: SubjectDataStore = {
  name: 'data_key', category: 'erasure_proof', models: ['SubjectKey'],
  legalBasisForKeeping: 'A tombstone without key material (subject reference and date of destruction) is kept as proof of erasure (GDPR Art. 5(2) accountability).',
  export: (services, scope) => fromArray(async () => {
    const row = await services.prisma.subjectKey.findUnique({ where: { subjectId: scope.contactId } });
    return row ? [{ algorithm: 'AES-256-GCM', wrappedBy: row.masterKeyId, createdAt: iso(row.createdAt), destroyedAt: iso(row.destroyedAt) }] : [];
  }),
  async erase(services, scope, tx) {
    const live = await tx.subjectKey.count({ where: { subjectId: scope.contactId, wrappedKey: { not: null } } });
    await services.subjects.destroyKey(tx, scope.contactId, services.now());
    return live;
  },
  count: (services, scope) => services.prisma.subjectKey.count({ where: { subjectId: scope.contactId, wrappedKey: { not: null } } }),
  kept: (services, scope) => services.prisma.subjectKey.count({ where: { subjectId: scope.contactId } }),
};
