/**
 * Erasure (docs/architecture.md §7): per category, with the legal basis for anything kept; a privacy officer's
 * decision for a running licence; verified by re-querying every store; a signed receipt; the
 * audit chain still valid; and a full pg_dump afterwards holds nothing of the subject that can
 * be read or matched.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { eraseSubject } from '../../src/privacy/erasure/erase-subject';
import { resolveSubjectScope } from '../../src/privacy/subject-scope';
import { verifyReceipt } from '../../src/privacy/receipts';
import { SUBJECT_DATA_STORES } from '../../src/privacy/stores';
import { telemetryMonth, telemetryPseudonym } from '../../src/telemetry/pseudonym';
import { createHarness, type Harness } from '../support/harness';
import { startMailServer, type TestMailServer } from './support/mail-server';
import { buildSubjectWorld, type SubjectWorld } from './support/subject-world';

let h: Harness;
let mail: TestMailServer;
let dpo: string;
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url, dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-erase-')) });
  dpo = await h.login('privacy_officer');
});
afterAll(async () => { await h.close(); await mail.close(); });

const session = async (w: SubjectWorld) => (await h.services.sessions.issueSubject(w.contactId, 900)).token;

/** Every form of the subject's identifiers that someone holding a dump could read or match. */
function identifiersOf(w: SubjectWorld): string[] {
  const b = h.services.blindIndex;
  return [
    w.email, w.firstName, w.lastName, w.phone, w.pcName, w.mac, w.ntAccount, w.ntAccount.split('\\')[1],
    b.of('email', w.email), b.of('pc_name', w.pcName), b.of('mac', w.mac), b.of('nt_account', w.ntAccount),
    telemetryPseudonym(h.config.secrets.telemetryKey, w.contactId, telemetryMonth(new Date())),
  ];
}

describe('erasure of a licence holder', () => {
  it('waits for the privacy officer when a licence is running, then ends it, erases every store, and signs a receipt', async () => {
    const world = await buildSubjectWorld(h);
    const bystander = await buildSubjectWorld(h);
    const token = await session(world);
    const scope = (await resolveSubjectScope(h.services, world.contactId, new Date()))!;

    const asked = await h.api.post('/v1/privacy/me/requests').set(h.auth(token)).send({ type: 'erasure', reason: 'I left the organisation' }).expect(201);
    expect(asked.body.status).toBe('in_progress');
    await mail.waitFor(world.email, (m) => m.text.includes('privacy officer decides'));
    expect(await h.services.prisma.contact.count({ where: { id: world.contactId } })).toBe(1);

    const refused = await h.api.post(`/v1/privacy/requests/${asked.body.id}/actions/complete`).set(h.auth(dpo)).send({});
    expect(refused.status).toBe(409);
    const done = await h.api.post(`/v1/privacy/requests/${asked.body.id}/actions/complete`).set(h.auth(dpo)).set('X-Purpose', 'erasure request').send({ endRunningLicences: true }).expect(200);
    expect(done.body.status).toBe('completed');

    // Verified: every store is empty of the subject.
    for (const store of SUBJECT_DATA_STORES) expect({ store: store.name, left: await store.count(h.services, scope) }).toEqual({ store: store.name, left: 0 });
    // The receipt is signed, lists each category and what was kept and why.
    const receipt = await verifyReceipt(h.services, done.body.receipt, 'nomina-erasure-receipt+jwt');
    expect(receipt).toMatchObject({ receipt: 'erasure', subjectRef: world.contactId, licencesEnded: 1, verification: { recordsLeft: 0 }, dataKey: 'destroyed' });
    const erased = Object.fromEntries((receipt!.erased as { store: string; records: number }[]).map((e) => [e.store, e.records]));
    expect(erased).toMatchObject({ contact: 1, licences: 1, devices: 1, device_macs: 1, licence_users: 1, validation_events: 3, telemetry_events: 4, fraud_alerts: 2, fraud_observations: 1, data_key: 1 });
    const kept = (receipt!.kept as { store: string; reason: string }[]);
    expect(kept.find((k) => k.store === 'billing_records')?.reason).toMatch(/VAT Code art\. 60/);
    expect(kept.map((k) => k.store)).toEqual(expect.arrayContaining(['billing_records', 'privacy_requests', 'access_log']));
    // The minimal billing record stays, apart and without personal data.
    const billing = await h.services.prisma.billingRecord.findMany({ where: { licenceId: world.licenceId } });
    expect(billing).toHaveLength(1);
    // The subject was told, with the receipt.
    const told = await mail.waitFor(world.email, (m) => m.text.includes('has been erased'));
    expect(told.text).toContain('1 running licence(s) were ended');
    // The audit chain is intact; the subject's entries keep who/what/why but no details.
    expect(await verifyAuditChain(h.services.prisma)).toMatchObject({ ok: true });
    expect(await h.services.prisma.auditEntry.count({ where: { subjectId: world.contactId, details: { not: null } } })).toBe(0);
    // The read stays on record (who, what, when); its free-text purpose was sealed with the shredded key.
    expect(await h.services.prisma.auditEntry.count({ where: { subjectId: world.contactId, action: 'contact.read' } })).toBe(1);
    expect(await h.services.prisma.auditEntry.count({ where: { purpose: { contains: '4711' } } })).toBe(0);
    // The request stays as a non-identifying record the subject can still see with their session.
    const mine = await h.api.get('/v1/privacy/me/requests').set(h.auth(token)).expect(200);
    expect(mine.body.items[0]).toMatchObject({ type: 'erasure', status: 'completed', reason: null });
    // Nobody else was touched.
    expect(await h.services.prisma.contact.count({ where: { id: bystander.contactId } })).toBe(1);
    expect(await h.services.prisma.device.count({ where: { id: bystander.deviceId } })).toBe(1);
  });

  it('erases at once, on the subject’s own request, when no licence is running', async () => {
    const world = await buildSubjectWorld(h, { validUntil: new Date(Date.now() - 86_400_000) });
    const res = await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'erasure' }).expect(201);
    expect(res.body.status).toBe('completed');
    expect(res.body.receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await h.services.prisma.contact.count({ where: { id: world.contactId } })).toBe(0);
    const key = (await h.db.keyVault.find(world.contactId))!;
    expect(key.wrappedKey).toBeNull();
    expect(key.destroyedAt).not.toBeNull();
  });

  it('leaves nothing of the subject in a full pg_dump that can be read or matched', async () => {
    const world = await buildSubjectWorld(h, { validUntil: new Date(Date.now() - 86_400_000) });
    const before = execFileSync('pg_dump', ['--data-only', `--dbname=${h.databaseUrl}`], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    // The check can see what it looks for: before erasure the blind indexes and the pseudonym are
    // in the dump (the personal fields themselves are only there encrypted).
    expect(before.includes(h.services.blindIndex.of('email', world.email))).toBe(true);
    expect(before.includes(h.services.blindIndex.of('mac', world.mac))).toBe(true);
    expect(before.includes(world.email)).toBe(false);
    await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'erasure' }).expect(201);
    const after = execFileSync('pg_dump', [`--dbname=${h.databaseUrl}`], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    for (const id of identifiersOf(world)) expect({ id, found: after.includes(id) }).toEqual({ id, found: false });
    // What still names the subject's random id holds no key material.
    const keyLine = after.split('\n').find((l) => l.startsWith(world.contactId) && l.includes('\t'));
    expect(keyLine === undefined || keyLine.includes('\\N')).toBe(true);
  });

  it('is idempotent: erasing an erased subject returns the same receipt', async () => {
    const world = await buildSubjectWorld(h, { validUntil: new Date(Date.now() - 86_400_000) });
    const first = await eraseSubject(h.services, { contactId: world.contactId, actor: { type: 'system', id: 'test' } });
    const second = await eraseSubject(h.services, { contactId: world.contactId, actor: { type: 'system', id: 'test' } });
    expect(first.status).toBe('completed');
    expect(second).toMatchObject({ status: 'completed', resumed: true, receiptJws: first.status === 'completed' ? first.receiptJws : '' });
  });
});
