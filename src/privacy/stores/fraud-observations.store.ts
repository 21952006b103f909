/**
 * What fraud detection observed per licence (machines, accounts, activations) as keyed blind
 * indexes: not readable, but matchable by whoever holds the index key, so erased with the
 * subject. Owner to take over: issue 4 (src/fraud).
 */
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso } from './field-crypto';

export const fraudObservationsStore: SubjectDataStore = {
  name: 'fraud_observations', category: 'fraud_evidence', models: ['FraudObservation'],
  export: (services, scope) => fromArray(async () => {
    const rows = await services.prisma.fraudObservation.findMany({ where: { licenceId: { in: scope.licenceIds } }, orderBy: { firstAt: 'asc' } });
    return rows.map((o) => ({ licenceId: o.licenceId, kind: o.kind, ref: o.ref, firstAt: iso(o.firstAt), lastAt: iso(o.lastAt), count: o.count }));
  }),
  async erase(_services, scope, tx) {
    return (await tx.fraudObservation.deleteMany({ where: { licenceId: { in: scope.licenceIds } } })).count;
  },
  count: (services, scope) => services.prisma.fraudObservation.count({ where: { licenceId: { in: scope.licenceIds } } }),
};
