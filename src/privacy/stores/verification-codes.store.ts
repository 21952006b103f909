import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/** One-time codes, keyed by the blind index of the e-mail address on record. */
export const verificationCodesStore: SubjectDataStore = {
  name: 'verification_codes', category: 'identity_verification', models: ['VerificationCode'],
  export: (services, scope) => fromArray(async () => {
    if (!scope.emailIndex) return [];
    const rows = await services.prisma.verificationCode.findMany({ where: { emailIndex: scope.emailIndex }, orderBy: { createdAt: 'asc' } });
    // The code hash is a credential, never exported.
    return rows.map((r) => ({ createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt), usedAt: iso(r.usedAt), attempts: r.attempts }));
  }),
  async erase(_services, scope, tx) {
    if (!scope.emailIndex) return 0;
    return (await tx.verificationCode.deleteMany({ where: { emailIndex: scope.emailIndex } })).count;
  },
  count: async (services, scope) => (scope.emailIndex ? services.prisma.verificationCode.count({ where: { emailIndex: scope.emailIndex } }) : 0),
};
