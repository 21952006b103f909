/**
 * Fraud evaluation's per-licence statements grouped across licences (src/fraud/fraud-statements.ts),
 * on both databases: evaluations running at once share one statement of each kind, each gets its
 * own answer, writes of the same row never share a statement (both are counted), and appends to
 * several alerts at once count and keep every firing's sealed entry in its own slot.
 */
import { readAlertEvidence, EVIDENCE_ENTRIES } from '../../src/fraud/alert-evidence';
import { fraudStatements, UNGROUPED_IN_FLIGHT } from '../../src/fraud/fraud-statements';
import type { Evidence } from '../../src/fraud/fraud-signals';
import { recordFraudSignal } from '../../src/fraud/record-fraud-signal';
import { buildLicence } from '../support/factories';
import { createEmbeddedHarness } from '../support/embedded-harness';
import { createHarness, type Harness } from '../support/harness';

type World = Harness;
const postgres = createHarness;
const embedded = createEmbeddedHarness;

const evidence = (network: string, at: Date): Evidence => ({
  summary: { networks: 2 },
  items: [{ key: `network:${network}`, kind: 'network', firstAt: at.toISOString(), lastAt: at.toISOString(), count: 1, detail: { networkHash: network } }],
});

describe.each([['PostgreSQL', postgres], ['the embedded database', embedded]] as const)('fraud statements on %s', (_name, open) => {
  let w: World;
  beforeAll(async () => { w = await open(); }, 60_000);
  afterAll(() => w.close());

  /** Counts the raw statements fraud sends while `work` runs (spied, not replaced). */
  async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(w.services.prisma, '$queryRawUnsafe');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('records the first sightings of several licences at once in one statement of each kind, each licence reading its own', async () => {
    const licences = await Promise.all(Array.from({ length: 5 }, () => buildLicence({ services: w.services } as Harness)));
    const db = fraudStatements(w.services);
    const now = new Date();
    const since = new Date(now.getTime() - 60_000);
    // A first call keeps the statement busy, so the other four wait for it and go together.
    let statements = await statementsDuring(() => Promise.all(licences.map((l, i) => db.touchObservations(l.licence.id, [
      { kind: 'machine', valueIndex: `machine-${i}` },
      { kind: 'machine_alias', valueIndex: `pc:pc-${i}`, ref: `machine-${i}` },
      { kind: 'account', valueIndex: `account-${i}` },
    ], now))));
    expect(statements).toBeLessThanOrEqual(2);

    let seen: Awaited<ReturnType<typeof db.seenSince>>[] = [];
    statements = await statementsDuring(async () => { seen = await Promise.all(licences.map((l) => db.seenSince(l.licence.id, since))); });
    expect(statements).toBeLessThanOrEqual(2);
    seen.forEach((s, i) => {
      expect(s.machines.map((m) => m.key)).toEqual([`machine-${i}`]);
      expect(s.accounts.map((a) => a.key)).toEqual([`account-${i}`]);
      expect(s.machines[0].firstAt.getTime()).toBe(now.getTime());
      expect(s.machines[0].count).toBe(1);
    });

    const known = await Promise.all(licences.map((l, i) => db.knownAliases(l.licence.id, [`pc:pc-${i}`, `pc:pc-${(i + 1) % 5}`, 'mac:unknown'])));
    known.forEach((k, i) => expect(k).toEqual([{ alias: `pc:pc-${i}`, machineKey: `machine-${i}`, lastAt: now }]));
    expect(await db.knownAliases(licences[0].licence.id, [])).toEqual([]);
  });

  it('reads the MAC sightings of several licences at once in one statement: other licences only, same customer or not, at most 50 each', async () => {
    const [a, b, c] = await Promise.all(Array.from({ length: 3 }, () => buildLicence({ services: w.services } as Harness)));
    const tag = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const device = async (licenceId: string, pcNameIndex: string, macIndexes: string[]) => (await w.services.prisma.device.create({
      data: { licenceId, pcNameIndex, pcNameEnc: 'sealed', macs: { create: macIndexes.map((macIndex) => ({ licenceId, macIndex, macEnc: 'sealed' })) } },
    })).id;
    // MAC 1 on a's own PC and on b's; MAC 2 on c's; MAC 3 on 60 PCs of b (more than one reading takes).
    await device(a.licence.id, `pc-a-${tag}`, [`mac1-${tag}`]);
    const bDevice = await device(b.licence.id, `pc-b-${tag}`, [`mac1-${tag}`]);
    const cDevice = await device(c.licence.id, `pc-c-${tag}`, [`mac2-${tag}`]);
    for (let i = 0; i < 60; i++) await device(b.licence.id, `pc-b${i}-${tag}`, [`mac3-${tag}`]);

    const db = fraudStatements(w.services);
    let answers: Awaited<ReturnType<typeof db.macSightings>>[] = [];
    const statements = await statementsDuring(async () => {
      answers = await Promise.all([
        db.macSightings(a.licence.id, a.licence.customerId, [`mac1-${tag}`, `mac2-${tag}`]),
        db.macSightings(b.licence.id, b.licence.customerId, [`mac1-${tag}`]),
        db.macSightings(c.licence.id, a.licence.customerId, [`mac3-${tag}`, `unknown-${tag}`]),
        db.macSightings(a.licence.id, a.licence.customerId, []),
        db.macSightings(a.licence.id, b.licence.customerId, [`mac1-${tag}`]),
      ]);
    });
    expect(statements).toBeLessThanOrEqual(2);
    const [ofA, ofB, ofC, none, asB] = answers;
    expect(ofA.map((s) => [s.macIndex, s.otherLicenceId, s.otherDeviceId, s.otherPcNameIndex]).sort()).toEqual([
      [`mac1-${tag}`, b.licence.id, bDevice, `pc-b-${tag}`],
      [`mac2-${tag}`, c.licence.id, cDevice, `pc-c-${tag}`],
    ].sort());
    // Each licence has a customer of its own: a sighting is "same customer" only against the caller's.
    expect(new Set([a, b, c].map((x) => x.licence.customerId)).size).toBe(3);
    expect(ofA.map((s) => s.sameCustomer)).toEqual([false, false]);
    expect(asB.map((s) => [s.otherLicenceId, s.sameCustomer])).toEqual([[b.licence.id, true]]);
    expect(ofA.every((s) => s.lastSeenAt instanceof Date)).toBe(true);
    expect(ofB.map((s) => s.otherLicenceId)).toEqual([a.licence.id]);
    expect(ofC).toHaveLength(50);
    expect(ofC.every((s) => s.otherLicenceId === b.licence.id && s.macIndex === `mac3-${tag}`)).toBe(true);
    expect(none).toEqual([]);
  });

  it('never writes one row twice in one statement: sightings of one licence at once are each counted, lastAt only moves forward', async () => {
    const { licence } = await buildLicence({ services: w.services } as Harness);
    const db = fraudStatements(w.services);
    const earlier = new Date(Date.now() - 30_000);
    const later = new Date();
    await Promise.all([
      db.touchObservations(licence.id, [{ kind: 'machine', valueIndex: 'm' }], later),
      db.touchObservations(licence.id, [{ kind: 'machine', valueIndex: 'm' }, { kind: 'machine', valueIndex: 'm' }], earlier),
      db.touchObservations(licence.id, [{ kind: 'machine', valueIndex: 'm' }], earlier),
    ]);
    const row = await w.services.prisma.fraudObservation.findFirstOrThrow({ where: { licenceId: licence.id, kind: 'machine', valueIndex: 'm' } });
    expect(row.count).toBe(3);
    expect(row.lastAt).toEqual(later);
    expect(row.firstAt).toEqual(later);
  });

  it('appends firings to several open alerts at once: every firing counted, each entry sealed in its own slot and readable', async () => {
    const licences = await Promise.all(Array.from({ length: 3 }, () => buildLicence({ services: w.services } as Harness)));
    const opened = new Date(Date.now() - 60_000);
    const firing = (l: (typeof licences)[number], network: string, at: Date) => recordFraudSignal(w.services, {
      licenceId: l.licence.id, customerId: l.licence.customerId, holderId: l.holderId, signal: 'overlap', severity: 'medium', evidence: evidence(network, at), coolDownMs: 60_000,
    }, at, true);
    expect(await Promise.all(licences.map((l) => firing(l, 'n0', opened)))).toEqual(['opened', 'opened', 'opened']);

    const at = new Date();
    // Three firings per alert at once, nine in all: the same alert's firings take turns.
    const outcomes = await Promise.all(licences.flatMap((l) => ['n1', 'n2', 'n3'].map((n) => firing(l, n, at))));
    expect(outcomes.every((o) => o === 'updated')).toBe(true);

    for (const l of licences) {
      const alert = await w.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: l.licence.id }, include: { evidence: EVIDENCE_ENTRIES } });
      expect(alert.evidenceCount).toBe(4);
      expect(alert.lastEvidenceAt).toEqual(at);
      const slots = await w.services.prisma.fraudAlertEvidence.findMany({ where: { alertId: alert.id }, select: { slot: true }, orderBy: { slot: 'asc' } });
      expect(slots.map((s) => s.slot)).toEqual([0, 1, 2]);
      const read = await readAlertEvidence(w.services, l.holderId, alert);
      expect(read?.occurrences).toBe(4);
      expect(read?.items.map((i) => i.key).sort()).toEqual(['network:n0', 'network:n1', 'network:n2', 'network:n3']);
    }
  });

  it('answers that no alert is open for a key without one, beside appends that find theirs', async () => {
    const l = await buildLicence({ services: w.services } as Harness);
    const now = new Date();
    const base = { licenceId: l.licence.id, customerId: l.licence.customerId, holderId: l.holderId, severity: 'low' as const, evidence: evidence('x', now), coolDownMs: 60_000 };
    await recordFraudSignal(w.services, { ...base, signal: 'clock_drift' }, now, false);
    const db = fraudStatements(w.services);
    const [found, missing] = await Promise.all([
      db.appendEvidence({ openKey: `${l.licence.id}:clock_drift`, severity: 'high', at: now, entryEnc: 'sealed-elsewhere' }),
      db.appendEvidence({ openKey: `${l.licence.id}:overlap`, severity: 'high', at: now, entryEnc: 'sealed-elsewhere' }),
    ]);
    expect([found, missing]).toEqual([true, false]);
    const alert = await w.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: l.licence.id } });
    expect(alert.severity).toBe('high');
    expect(await w.services.prisma.fraudAlert.count({ where: { licenceId: l.licence.id, signal: 'overlap' } })).toBe(0);
  });

  it('lets at most two ungrouped statements run at once, the others in turn, each with its own answer or error', async () => {
    const { ungrouped } = fraudStatements(w.services);
    let running = 0;
    let most = 0;
    const statement = (n: number) => ungrouped(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (n === 3) throw new Error('statement 3 failed');
      return n;
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, n) => statement(n)));
    expect(UNGROUPED_IN_FLIGHT).toBe(2);
    expect(most).toBe(2);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([0, 1, 2, 'statement 3 failed', 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await ungrouped(async () => 'free again')).toBe('free again');
  });

  it('opens the alerts of several licences at once in one statement, each with its own outcome and one webhook event per alert opened', async () => {
    const [plain, twice, objecting, cooling] = await Promise.all(Array.from({ length: 4 }, () => buildLicence({ services: w.services } as Harness)));
    await w.services.prisma.contact.update({ where: { id: objecting.holderId }, data: { profilingObjectedAt: new Date() } });
    const now = new Date();
    await w.services.prisma.fraudAlert.create({ data: {
      licenceId: cooling.licence.id, customerId: cooling.licence.customerId, signal: 'overlap', severity: 'low', status: 'dismissed',
      evidenceEnc: '', evidenceCount: 1, openedAt: now, lastEvidenceAt: now, updatedAt: now, decidedAt: now,
    } });
    const firing = (l: typeof plain) => recordFraudSignal(w.services, {
      licenceId: l.licence.id, customerId: l.licence.customerId, holderId: l.holderId, signal: 'overlap', severity: 'medium', evidence: evidence('n1', now), coolDownMs: 60_000,
    }, now, false);
    const eventsBefore = await w.services.prisma.webhookEvent.count({ where: { type: 'fraud.alert.opened' } });
    const outcomes = await Promise.all([firing(plain), firing(twice), firing(twice), firing(objecting), firing(cooling)]);
    expect(outcomes).toEqual(['opened', 'opened', 'updated', 'objected', 'cooling_down']);
    expect(await w.services.prisma.fraudAlert.count({ where: { licenceId: twice.licence.id, status: 'open' } })).toBe(1);
    expect(await w.services.prisma.fraudAlert.count({ where: { licenceId: { in: [objecting.licence.id] } } })).toBe(0);
    const events = await w.services.prisma.webhookEvent.findMany({ where: { type: 'fraud.alert.opened' }, orderBy: { occurredAt: 'asc' } });
    expect(events.length - eventsBefore).toBe(2);
    const opened = await w.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: plain.licence.id, status: 'open' }, include: { evidence: EVIDENCE_ENTRIES } });
    expect(events.map((e) => e.data)).toContainEqual({ alertId: opened.id, licenceId: plain.licence.id, customerId: plain.licence.customerId, signal: 'overlap', severity: 'medium', status: 'open' });
    expect((await readAlertEvidence(w.services, plain.holderId, opened))?.items.map((i) => i.key)).toEqual(['network:n1']);
  });
});

