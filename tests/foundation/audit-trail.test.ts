import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { buildContact } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(() => h.close());

async function seedEntries(count: number) {
  for (let i = 0; i < count; i++) {
    await h.services.audit.record({ actor: { type: 'system', id: 'test' }, action: `test.event.${i}`, details: { i } });
  }
}

describe('the audit trail', () => {
  it('chains concurrent appends into one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => h.services.audit.record({ actor: { type: 'system' }, action: `parallel.${i}` })));
    const report = await verifyAuditChain(h.services.prisma);
    expect(report).toEqual({ ok: true, checked: 30, broken: [], brokenCount: 0 });
  });

  it('detects an entry edited by SQL', async () => {
    await seedEntries(5);
    await h.services.prisma.$executeRawUnsafe(`UPDATE audit_entries SET action = 'innocent' WHERE seq = (SELECT min(seq) + 2 FROM audit_entries)`);
    const report = await verifyAuditChain(h.services.prisma);
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(5);
    expect(report.brokenCount).toBe(1);
    expect(report.firstBroken?.reason).toMatch(/changed/);
  });

  it('detects edited details', async () => {
    await seedEntries(3);
    await h.services.prisma.$executeRawUnsafe(`UPDATE audit_entries SET details = '{"i":99}' WHERE seq = (SELECT min(seq) FROM audit_entries)`);
    expect((await verifyAuditChain(h.services.prisma)).firstBroken?.reason).toMatch(/details/);
  });

  it('detects a deleted entry in the middle', async () => {
    await seedEntries(5);
    await h.services.prisma.$executeRawUnsafe(`DELETE FROM audit_entries WHERE seq = (SELECT min(seq) + 1 FROM audit_entries)`);
    const report = await verifyAuditChain(h.services.prisma);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.reason).toMatch(/removed/);
  });

  it('detects the newest entries deleted', async () => {
    await seedEntries(4);
    await h.services.prisma.$executeRawUnsafe(`DELETE FROM audit_entries WHERE seq = (SELECT max(seq) FROM audit_entries)`);
    const report = await verifyAuditChain(h.services.prisma);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.reason).toMatch(/head/);
  });

  it('reports every broken entry, so a first break cannot hide a later tampering', async () => {
    await seedEntries(8);
    const [{ first }] = await h.services.prisma.$queryRawUnsafe<{ first: bigint }[]>('SELECT min(seq) AS first FROM audit_entries');
    await h.services.prisma.$executeRawUnsafe(`UPDATE audit_entries SET action = 'innocent' WHERE seq = $1`, first + 1n);
    await h.services.prisma.$executeRawUnsafe(`UPDATE audit_entries SET "actorId" = 'someone else' WHERE seq = $1`, first + 5n);
    const report = await verifyAuditChain(h.services.prisma);
    expect(report).toMatchObject({ ok: false, checked: 8, brokenCount: 2 });
    expect(report.broken.map((b) => b.seq)).toEqual([String(first + 1n), String(first + 5n)]);
    expect(report.broken.every((b) => /changed/.test(b.reason))).toBe(true);
  });

  it('appends entries about a subject whose key was destroyed, without details or purpose', async () => {
    const contact = await buildContact(h);
    await h.services.subjects.destroyKey(contact.id);
    await h.services.audit.record({ actor: { type: 'staff', id: 'x' }, action: 'audit.read', subjectId: contact.id, purpose: 'ticket 9 about Jan', details: { filters: {} } });
    const stored = await h.services.prisma.auditEntry.findFirstOrThrow({ where: { action: 'audit.read', subjectId: contact.id } });
    expect(stored).toMatchObject({ details: null, purpose: null, actorId: 'x' });
    expect((await verifyAuditChain(h.services.prisma)).ok).toBe(true);
  });

  it("lets a subject's details be erased without breaking the chain", async () => {
    const contact = await buildContact(h);
    await h.services.audit.record({ actor: { type: 'staff', id: 'x' }, action: 'contact.read', subjectId: contact.id, details: { note: 'Jan called' } });
    const stored = await h.audit.findFirst({ where: { action: 'contact.read' } });
    expect(stored?.details).not.toContain('Jan called'); // sealed with the subject's key
    await h.services.prisma.auditEntry.updateMany({ where: { subjectId: contact.id }, data: { details: null } });
    expect((await verifyAuditChain(h.services.prisma)).ok).toBe(true);
  });

  it('serves the trail and its verification to auditors, and records the read', async () => {
    await seedEntries(3);
    const auditor = await h.staffUser('auditor');
    const list = await h.api.get('/v1/audit?limit=2').set(h.auth(auditor.token)).set('X-Purpose', 'quarterly review').expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.nextBefore).toEqual(list.body.items[1].seq);
    const verify = await h.api.get('/v1/audit/verify').set(h.auth(auditor.token)).expect(200);
    expect(verify.body.ok).toBe(true);
    const read = await h.audit.findFirst({ where: { action: 'audit.read', actorId: auditor.id } });
    expect(read?.purpose).toBe('quarterly review');
  });
});
