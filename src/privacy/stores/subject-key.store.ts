import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/**
 * The subject's data key, in the key vault (src/crypto/key-vault.ts). Destroying it is what makes
 * every remaining copy of their encrypted fields unreadable (crypto-shredding); the vault keeps a
 * row without key material as proof.
 */
export const subjectKeyStore: SubjectDataStore = {
  name: 'data_key', category: 'erasure_proof', models: [],
  legalBasisForKeeping: 'A tombstone without key material (subject reference and date of destruction) is kept as proof of erasure (GDPR Art. 5(2) accountability).',
  export: (services, scope) => fromArray(async () => {
    const row = await services.subjects.vault.find(scope.contactId);
    return row ? [{ algorithm: 'AES-256-GCM', wrappedBy: row.masterKeyId, createdAt: iso(row.createdAt), destroyedAt: iso(row.destroyedAt) }] : [];
  }),
  async erase(services, scope) {
    // Outside the erasure step's transaction (the vault is another database): destroying twice is harmless.
    const live = (await services.subjects.vault.find(scope.contactId))?.wrappedKey ? 1 : 0;
    await services.subjects.destroyKey(scope.contactId, services.now());
    return live;
  },
  count: async (services, scope) => ((await services.subjects.vault.find(scope.contactId))?.wrappedKey ? 1 : 0),
  kept: async (services, scope) => ((await services.subjects.vault.find(scope.contactId)) ? 1 : 0),
};
