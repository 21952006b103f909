/**
 * The end of an erasure re-erases what writers that raced it left (finish-erasure.ts): a
 * validation that read its licence before the licence was deleted lands its event later, on a
 * busy service sometimes after a first second pass. Verification fails only if data keeps coming.
 */
import { randomUUID } from 'node:crypto';
import { finishErasure } from '../../src/privacy/erasure/finish-erasure';
import type { SubjectDataStore, SubjectScope } from '../../src/privacy/subject-data';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const scope: SubjectScope = { contactId: randomUUID(), customerId: null, licenceIds: [], deviceIds: [], emailIndex: null, telemetryMonths: [] };

/** A store that still holds `late` rows after the main pass, one more landing after each of the first `arrivals` re-erasures. */
function storeWithLateWrites(arrivals: number): SubjectDataStore & { erasures: number } {
  let rows = 1;
  const store = {
    name: 'late_writes', category: 'validation_history', models: [], erasures: 0,
    async *export() { /* nothing to export */ },
    async erase() { store.erasures += 1; const erased = rows; rows = store.erasures <= arrivals ? 1 : 0; return erased; },
    async count() { return rows; },
  } as unknown as SubjectDataStore & { erasures: number };
  return store;
}

const actor = { type: 'system' as const };

describe('the end of an erasure', () => {
  it('erases again until writers that raced it have landed (here two late writes), then goes on', async () => {
    const store = storeWithLateWrites(2);
    // Past verification it looks the job up: none exists here, so that is where it stops.
    await expect(finishErasure(h.services, { jobId: randomUUID(), scope, stores: [store], actor, requestId: null })).rejects.toThrow(/No ErasureJob found|not found/i);
    expect(store.erasures).toBe(3);
  });

  it('fails verification when data keeps coming', async () => {
    const store = storeWithLateWrites(1000);
    await expect(finishErasure(h.services, { jobId: randomUUID(), scope, stores: [store], actor, requestId: null })).rejects.toThrow(/verification failed: data left in late_writes/);
  });
});
