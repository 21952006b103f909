/** Growing, masking and presenting evidence: pure functions, plain unit tests. */
import { evidenceForSubject, maskEvidence, mergeEvidence, startEvidence } from '../../src/fraud/alert-evidence';
import type { EvidenceItem } from '../../src/fraud/fraud-signals';

const t0 = new Date('2026-03-01T10:00:00Z');
const t1 = new Date('2026-03-01T11:00:00Z');
const item = (key: string, kind: EvidenceItem['kind'], at: Date, count = 1, detail?: EvidenceItem['detail']): EvidenceItem => ({ key, kind, firstAt: at.toISOString(), lastAt: at.toISOString(), count, detail });

describe('alert evidence', () => {
  it('grows by key: snapshots keep their first sighting and highest count, drift events add up', () => {
    const first = startEvidence({ summary: { distinct: 3 }, items: [item('machine:a', 'machine', t0, 2), item('drift:-90', 'drift', t0)] }, t0);
    const grown = mergeEvidence(first, { summary: { distinct: 4 }, items: [item('machine:a', 'machine', t1, 5), item('machine:b', 'machine', t1), item('drift:-90', 'drift', t1)] }, t1);
    expect(grown.summary).toEqual({ distinct: 4 });
    expect(grown.occurrences).toBe(2);
    expect(grown.firstAt).toBe(t0.toISOString());
    const byKey = Object.fromEntries(grown.items.map((i) => [i.key, i]));
    expect(byKey['machine:a']).toMatchObject({ firstAt: t0.toISOString(), lastAt: t1.toISOString(), count: 5 });
    expect(byKey['drift:-90'].count).toBe(2);
    expect(grown.items).toHaveLength(3);
  });

  it('keeps the newest hundred items', () => {
    let evidence = startEvidence({ summary: {}, items: [] }, t0);
    for (let i = 0; i < 120; i++) evidence = mergeEvidence(evidence, { summary: {}, items: [item(`network:${i}`, 'network', new Date(t0.getTime() + i * 1000))] }, t1);
    expect(evidence.items).toHaveLength(100);
    expect(evidence.items[0].key).toBe('network:20');
  });

  it('masks identifiers for support and hides the other licence from the holder', () => {
    const evidence = startEvidence({ summary: { clashingMacs: 1 }, items: [
      item('collision:mac1:dev9', 'collision', t0, 1, { macIndex: 'mac1', otherLicenceId: 'lic-9', otherDeviceId: 'dev-9', sameCustomer: false }),
      item('machine:pc:abc', 'machine', t0),
    ] }, t0);
    const masked = maskEvidence(evidence);
    expect(masked.items.map((i) => i.key)).toEqual(['collision 1', 'machine 1']);
    expect(masked.items[0].detail).toEqual({ sameCustomer: false });
    const forHolder = evidenceForSubject(evidence);
    expect(JSON.stringify(forHolder)).not.toMatch(/lic-9|dev-9/);
    expect(forHolder.items[0].detail).toEqual({ macIndex: 'mac1', sameCustomer: false });
  });
});
