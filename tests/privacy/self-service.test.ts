/**
 * The licence holder's self-service (docs/architecture.md §7 and docs/public-contract.md): export, rectification, requests, objection
 * and restriction; and the privacy officer's queue with deadlines and extensions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processingPermissions } from '../../src/privacy/processing-permissions';
import { registerPrivacyMetrics } from '../../src/privacy/privacy-metrics';
import { createHarness, type Harness } from '../support/harness';
import { startMailServer, type TestMailServer } from './support/mail-server';
import { buildSubjectWorld, FRAUD_COMMENT, type SubjectWorld } from './support/subject-world';

let h: Harness;
let mail: TestMailServer;
let dpo: string;
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url, dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-self-')) });
  registerPrivacyMetrics(h.services);
  dpo = await h.login('privacy_officer');
});
afterAll(async () => { await h.close(); await mail.close(); });

async function session(world: SubjectWorld) {
  return (await h.services.sessions.issueSubject(world.contactId, 900)).token;
}

describe('GET /v1/privacy/me/export', () => {
  it('contains everything about the subject, every staff access with its purpose, and how the data is used', async () => {
    const world = await buildSubjectWorld(h, { staffReadPurpose: 'ticket #4711 licence question' });
    const res = await h.api.get('/v1/privacy/me/export').set(h.auth(await session(world))).buffer(true).parse((r, cb) => {
      let body = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { body += c; }); r.on('end', () => cb(null, body));
    }).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="nomina-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const doc = JSON.parse(res.body as unknown as string);
    expect(doc).toMatchObject({ format: 'nomina.subject-export', version: 1, subject: { contactId: world.contactId } });
    const items = (store: string) => doc.data[store].items as Record<string, unknown>[];
    expect(items('contact')[0]).toMatchObject({ email: world.email, firstName: world.firstName, lastName: world.lastName, phone: world.phone });
    expect(items('licences')[0]).toMatchObject({ id: world.licenceId, status: 'active' });
    expect(items('licence_users')[0]).toMatchObject({ ntAccount: world.ntAccount });
    expect(items('devices')[0]).toMatchObject({ id: world.deviceId, pcName: world.pcName, lastNtAccount: world.ntAccount });
    expect(items('device_macs')[0]).toMatchObject({ mac: world.mac });
    expect(items('validation_events')).toHaveLength(3);
    expect(items('telemetry_events')).toHaveLength(4);
    expect(items('telemetry_events')[0]).toMatchObject({ type: 'feature', name: 'export_pdf' });
    expect(items('fraud_alerts')[0]).toMatchObject({ signal: 'mac_collision', evidence: { summary: { pcName: world.pcName, mac: world.mac } } });
    expect(items('fraud_alerts')[0].comments).toEqual([expect.objectContaining({ body: FRAUD_COMMENT })]);
    expect(items('fraud_observations')).toHaveLength(1);
    expect(items('billing_records')).toHaveLength(1);
    const staffAccess = items('access_log').filter((e) => (e.who as { type: string }).type === 'staff');
    expect(staffAccess).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'contact.read', purpose: 'ticket #4711 licence question' })]));
    const how = doc.howWeUseYourData;
    expect(how.purposes.length).toBeGreaterThan(3);
    for (const p of how.purposes) expect(p).toEqual(expect.objectContaining({ legalBasis: expect.any(String), retention: expect.any(String), recipients: expect.any(Array) }));
    expect(how.transfersOutsideEea.outsideEea).toBe(false);
    expect(how.complaints.email).toBe('contact@apd-gba.be');
    for (const store of Object.keys(doc.data)) expect(doc.data[store].count).toBe(doc.data[store].items.length);
  });

  it('is recorded in the audit trail as the subject’s own action', async () => {
    const world = await buildSubjectWorld(h);
    await h.api.get('/v1/privacy/me/export').set(h.auth(await session(world))).expect(200);
    expect(await h.services.prisma.auditEntry.count({ where: { subjectId: world.contactId, action: 'subject.export', actorType: 'subject' } })).toBe(1);
  });
});

describe('PATCH /v1/privacy/me', () => {
  it('corrects the subject’s fields, audits the field names (never values) and records a completed rectification', async () => {
    const world = await buildSubjectWorld(h);
    const token = await session(world);
    const res = await h.api.patch('/v1/privacy/me').set(h.auth(token)).send({ lastName: 'Vermeulen-Peeters', jobTitle: 'Diensthoofd' }).expect(200);
    expect(res.body).toMatchObject({ lastName: 'Vermeulen-Peeters', jobTitle: 'Diensthoofd', email: world.email });
    const entry = await h.audit.findFirstOrThrow({ where: { subjectId: world.contactId, action: 'contact.rectify' } });
    expect(entry.details).not.toContain('Vermeulen-Peeters');
    const requests = await h.api.get('/v1/privacy/me/requests').set(h.auth(token)).expect(200);
    expect(requests.body.items[0]).toMatchObject({ type: 'rectification', status: 'completed' });
    expect((await h.api.patch('/v1/privacy/me').set(h.auth(token)).send({ roles: ['billing'] })).status).toBe(400);
  });
});

describe('POST /v1/privacy/me/requests', () => {
  it('serves access and portability at once, with the legal deadline', async () => {
    const world = await buildSubjectWorld(h);
    const res = await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'portability' }).expect(201);
    expect(res.body).toMatchObject({ type: 'portability', status: 'completed' });
    expect(new Date(res.body.dueAt).getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
  });

  it('applies an objection to telemetry at once, which turns telemetry off for that holder only', async () => {
    const world = await buildSubjectWorld(h);
    const other = await buildSubjectWorld(h);
    await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'objection', scope: ['telemetry'] }).expect(201);
    expect(await processingPermissions(h.services, world.contactId)).toMatchObject({ telemetry: false, fraudProfiling: true, licenceValidation: true });
    expect(await processingPermissions(h.services, other.contactId)).toMatchObject({ telemetry: true });
  });

  it('applies a restriction: storage only — no telemetry, no profiling — until the privacy officer lifts it', async () => {
    const world = await buildSubjectWorld(h);
    await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'restriction', reason: 'my data is wrong' }).expect(201);
    expect(await processingPermissions(h.services, world.contactId)).toMatchObject({ telemetry: false, fraudProfiling: false, licenceValidation: true });
    const lifted = await h.api.patch(`/v1/privacy/subjects/${world.contactId}/processing`).set(h.auth(dpo)).set('X-Purpose', 'request checked').send({ restricted: false }).expect(200);
    expect(lifted.body.permissions).toMatchObject({ telemetry: true, fraudProfiling: true });
  });

  it('requires a scope for an objection', async () => {
    const world = await buildSubjectWorld(h);
    const res = await h.api.post('/v1/privacy/me/requests').set(h.auth(await session(world))).send({ type: 'objection' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('/scope');
  });
});

describe('the privacy officer’s queue', () => {
  it('logs a phone request with the identity check, filters by due date, extends with a reason told to the subject', async () => {
    const world = await buildSubjectWorld(h);
    const logged = await h.api.post('/v1/privacy/requests').set(h.auth(dpo)).send({
      contactId: world.contactId, type: 'access', channel: 'phone', identityMethod: 'called back on the number on record',
    }).expect(201);
    expect(logged.body).toMatchObject({ status: 'identity_verified', channel: 'phone', identityMethod: 'called back on the number on record' });
    const soon = await h.api.get('/v1/privacy/requests?dueWithinDays=40&type=access').set(h.auth(dpo)).expect(200);
    expect(soon.body.items.map((r: { id: string }) => r.id)).toContain(logged.body.id);
    const notSoon = await h.api.get('/v1/privacy/requests?dueWithinDays=7').set(h.auth(dpo)).expect(200);
    expect(notSoon.body.items.map((r: { id: string }) => r.id)).not.toContain(logged.body.id);

    const extended = await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/extend`).set(h.auth(dpo)).send({ months: 2, reason: 'archives on paper must be searched' }).expect(200);
    expect(extended.body.extendedDueAt).not.toBeNull();
    const notice = await mail.waitFor(world.email, (m) => m.text.includes('more time'));
    expect(notice.text).toContain('archives on paper must be searched');
    const tooMuch = await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/extend`).set(h.auth(dpo)).send({ months: 3, reason: 'x' });
    expect(tooMuch.status).toBe(400);
  });

  it('refuses an extension after the first deadline', async () => {
    const world = await buildSubjectWorld(h);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const logged = await h.api.post('/v1/privacy/requests').set(h.auth(dpo)).send({ contactId: world.contactId, type: 'access', channel: 'letter', receivedAt: old }).expect(201);
    const res = await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/extend`).set(h.auth(dpo)).send({ months: 1, reason: 'late' });
    expect(res.status).toBe(422);
    expect(res.body.reasonCode).toBe('first_deadline_passed');
    const overdue = await h.api.get('/v1/privacy/requests?overdue=true').set(h.auth(dpo)).expect(200);
    expect(overdue.body.items.map((r: { id: string }) => r.id)).toContain(logged.body.id);
    const metrics = await h.api.get('/metrics').expect(200);
    expect(Number(/nomina_privacy_requests_overdue (\d+)/.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/nomina_privacy_requests_open (\d+)/.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('walks received → identity_verified → in_progress → completed, and refuses to complete before identity is verified', async () => {
    const world = await buildSubjectWorld(h);
    const logged = await h.api.post('/v1/privacy/requests').set(h.auth(dpo)).send({ contactId: world.contactId, type: 'objection', scope: ['direct_marketing'], channel: 'letter' }).expect(201);
    expect(logged.body.status).toBe('received');
    expect((await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/complete`).set(h.auth(dpo)).send({})).status).toBe(409);
    await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/verify-identity`).set(h.auth(dpo)).send({ method: 'signed letter with copy of ID card, destroyed after check' }).expect(200);
    await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/start`).set(h.auth(dpo)).expect(200);
    // Each move is a conditional update from the statuses it is allowed from: repeating it is refused.
    expect((await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/start`).set(h.auth(dpo))).status).toBe(409);
    const done = await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/complete`).set(h.auth(dpo)).send({ outcome: 'objection recorded' }).expect(200);
    expect(done.body.status).toBe('completed');
    // A closed request can no longer be rejected.
    expect((await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/reject`).set(h.auth(dpo)).send({ reason: 'too late' })).status).toBe(409);
    expect((await h.api.get(`/v1/privacy/requests/${logged.body.id}`).set(h.auth(dpo))).body.status).toBe('completed');
    expect(await processingPermissions(h.services, world.contactId)).toMatchObject({ directMarketing: false, telemetry: true });
  });

  it('rejects with a reason sent to the subject, naming the complaint route', async () => {
    const world = await buildSubjectWorld(h);
    const logged = await h.api.post('/v1/privacy/requests').set(h.auth(dpo)).send({ contactId: world.contactId, type: 'erasure', channel: 'email' }).expect(201);
    await h.api.post(`/v1/privacy/requests/${logged.body.id}/actions/reject`).set(h.auth(dpo)).send({ reason: 'identity could not be verified' }).expect(200);
    const m = await mail.waitFor(world.email, (x) => x.text.includes('identity could not be verified'));
    expect(m.text).toContain('contact@apd-gba.be');
  });
});
