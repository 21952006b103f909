/**
 * The user journeys that cross capabilities (issue 10), the same tests once on PostgreSQL and
 * once on the embedded database, through HTTP against the service as `npm start` runs it. Each
 * journey runs while /readyz is asked every ~100 ms: every answer is 200, and on the embedded
 * database (one connection) it answers within 1 s throughout (beyond what /healthz takes at the
 * same moment on a busy machine) — a service people depend on does not stall while it erases,
 * exports or runs retention.
 */
import { startMailServer, type TestMailServer } from '../privacy/support/mail-server';
import { startService, type DatabaseKind, type ServiceProcess } from '../support/service-process';
import { aDevice } from '../validation/validate-helpers';
import { auditActionsAbout, expectAuditTrailReadable, verifyReceiptWithJwks } from './support/journey-checks';
import {
  bearer, buildCustomerOverHttp, buildHolderOverHttp, buildLicenceOverHttp, expectStatus, staffTeam, subjectSession,
  telemetryBatch, validateOverHttp, type LicenceWorld, type StaffTokens,
} from './support/journey-world';
import { whilePolling, type ReadinessReport } from './support/readiness-poller';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const DATABASES: [string, DatabaseKind][] = [['PostgreSQL', 'postgres'], ['the embedded database', 'embedded']];

describe.each(DATABASES)('journeys on %s', (label, kind) => {
  let service: ServiceProcess;
  let mail: TestMailServer;
  let staff: StaffTokens;

  beforeAll(async () => {
    mail = await startMailServer();
    service = await startService({ database: kind, smtpUrl: mail.url });
    staff = await staffTeam(service);
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await mail?.close();
  }, 30_000);

  /** Runs a journey under the readiness poller and checks the service kept answering. */
  async function journey<T>(name: string, work: () => Promise<T>): Promise<{ result: T; readiness: ReadinessReport }> {
    const run = await whilePolling(service.url, work);
    const { readiness } = run;
    // Every poll answered, and ready (no 5xx, no time-out, no refused connection).
    expect({ name, answers: readiness.answers }).toEqual({ name, answers: { 200: readiness.polls } });
    // On the embedded database (one connection) nothing may hold the database for a second: /readyz
    // answers within 1 s of what /healthz, asked with it, took (see support/readiness-poller.ts).
    if (kind === 'embedded' && readiness.maxWaitMs >= 1000) {
      throw new Error(`${name}: /readyz waited ${readiness.maxWaitMs} ms for the embedded database (must answer within 1 s); slow polls: ${JSON.stringify(readiness.slow)}`);
    }
    return run;
  }

  async function activeDevice(w: LicenceWorld) {
    const device = aDevice();
    const res = expectStatus(await validateOverHttp(service, w, device), 200);
    expect(res.body).toMatchObject({ valid: true, code: 'VALID' });
    return { device, token: res.body.token as string, telemetry: res.body.telemetry as string };
  }

  it('erases a holder end to end: request, the privacy officer ends the running licence, a receipt that verifies against the JWKS, an audit trail that still reads and verifies', async () => {
    await journey('erasure', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin);
      const pc = await activeDevice(w);
      expect(expectStatus(await service.api.post('/v1/telemetry').set(bearer(pc.token)).send(telemetryBatch(20)), 202).body).toMatchObject({ accepted: 20 });
      expectStatus(await service.api.get(`/v1/contacts/${w.contactId}`).set(bearer(staff.support)).set('X-Purpose', 'ticket #4711'), 200);

      const session = await subjectSession(service, mail, w.email);
      const asked = expectStatus(await service.api.post('/v1/privacy/me/requests').set(bearer(session)).send({ type: 'erasure', reason: 'I left the organisation' }), 201);
      expect(asked.body.status).toBe('in_progress');

      const done = expectStatus(await service.api.post(`/v1/privacy/requests/${asked.body.id}/actions/complete`)
        .set(bearer(staff.privacyOfficer)).set('X-Purpose', 'erasure request').send({ endRunningLicences: true }), 200);
      expect(done.body.status).toBe('completed');
      const receipt = await verifyReceiptWithJwks(service, done.body.receipt, 'nomina-erasure-receipt+jwt');
      expect(receipt).toMatchObject({ receipt: 'erasure', subjectRef: w.contactId, licencesEnded: 1, verification: { recordsLeft: 0 }, dataKey: 'destroyed' });

      // The person is gone; the licence was ended and erased with them (its key no longer opens anything); the holder was told.
      expectStatus(await service.api.get(`/v1/contacts/${w.contactId}`).set(bearer(staff.privacyOfficer)), 404);
      expectStatus(await service.api.get(`/v1/licences/${w.licenceId}`).set(bearer(staff.admin)), 404);
      expect(expectStatus(await validateOverHttp(service, w, pc.device), 200).body).toMatchObject({ valid: false, code: 'NOT_FOUND' });
      await mail.waitFor(w.email, (m) => m.text.includes('has been erased'));
      // The holder's session, still within its 15 minutes, finds nothing more to export, and the
      // attempts are not recorded as exports (they once showed in the holder's access log as "you
      // downloaded your data" before their 404); the privacy officer's attempt neither.
      expectStatus(await service.api.get('/v1/privacy/me/export').set(bearer(session)), 404);
      expectStatus(await service.api.get('/v1/privacy/me/export.html?lang=en').set(bearer(session)), 404);
      expectStatus(await service.api.get(`/v1/privacy/subjects/${w.contactId}/export`).set(bearer(staff.privacyOfficer)).set('X-Purpose', 'erasure request'), 404);
      expect(await auditActionsAbout(service, staff, w.contactId)).not.toContain('subject.export');
      // The erasure request itself stays visible to the holder as a non-identifying record.
      expect(expectStatus(await service.api.get('/v1/privacy/me/requests').set(bearer(session)), 200).body.items[0]).toMatchObject({ type: 'erasure', status: 'completed' });
      // The trail reads (also about the erased subject) for the auditor and the privacy officer, and verifies.
      await expectAuditTrailReadable(service, staff, w.contactId);
      expect(await auditActionsAbout(service, staff, w.contactId)).toEqual(expect.arrayContaining(['contact.read']));
      // Staff can still sign in and desktop apps still validate.
      expectStatus(await service.api.post('/v1/staff/sessions').send({ email: service.admin.email, password: service.admin.password }), 200);
    });
  });

  it('erases at once a holder who has no licence and no telemetry', async () => {
    await journey('erasure without licences', async () => {
      const customerId = await buildCustomerOverHttp(service, staff.admin);
      const holder = await buildHolderOverHttp(service, staff.admin, customerId);
      const session = await subjectSession(service, mail, holder.email);
      const res = expectStatus(await service.api.post('/v1/privacy/me/requests').set(bearer(session)).send({ type: 'erasure' }), 201);
      expect(res.body.status).toBe('completed');
      const receipt = await verifyReceiptWithJwks(service, res.body.receipt, 'nomina-erasure-receipt+jwt');
      expect(receipt).toMatchObject({ receipt: 'erasure', subjectRef: holder.contactId, licencesEnded: 0 });
      expectStatus(await service.api.get(`/v1/contacts/${holder.contactId}`).set(bearer(staff.admin)), 404);
      await expectAuditTrailReadable(service, staff, holder.contactId);
    });
  });

  it('closes a customer only with an export that holds everything, takes nothing new after, and matches searches as typed', async () => {
    await journey('customer closure', async () => {
      const customerId = await buildCustomerOverHttp(service, staff.admin, new Date(Date.now() - DAY));
      await buildHolderOverHttp(service, staff.admin, customerId);
      const exportOf = async () => expectStatus(await service.api.post(`/v1/customers/${customerId}/exports`).set(bearer(staff.privacyOfficer)), 200).headers['x-export-id'] as string;
      const first = await exportOf();
      await new Promise((r) => setTimeout(r, 20)); // a later millisecond than the export's
      await buildHolderOverHttp(service, staff.admin, customerId);
      const close = (exportId: string) => service.api.post(`/v1/customers/${customerId}/actions/close`).set(bearer(staff.admin)).send({ exportId });
      expect(expectStatus(await close(first), 409).body.errors[0].pointer).toBe('/exportId');
      expect(expectStatus(await close(await exportOf()), 200).body).toMatchObject({ subjectsErased: 2 });
      const after = await service.api.post('/v1/contacts').set(bearer(staff.admin)).send({ customerId, firstName: 'Na', lastName: 'Sluiting', email: `na.${Date.now()}@closed.test`, roles: ['licence_holder'] });
      expect(expectStatus(after, 409).body.errors[0].pointer).toBe('/customerId');
      // A licence exists that a wildcard would list; what is typed is matched as typed.
      await buildLicenceOverHttp(service, staff.admin);
      for (const q of ['%', '_']) expect(expectStatus(await service.api.get('/v1/licences').query({ q }).set(bearer(staff.support)), 200).body.items).toEqual([]);
    });
  });

  it('gives the holder and the privacy officer everything about the holder (access and export)', async () => {
    await journey('access', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin);
      await activeDevice(w);
      const session = await subjectSession(service, mail, w.email);
      const me = expectStatus(await service.api.get('/v1/privacy/me').set(bearer(session)), 200);
      expect(me.body).toMatchObject({ id: w.contactId, email: w.email, view: 'full' });
      const mine = expectStatus(await service.api.get('/v1/privacy/me/export').set(bearer(session)), 200);
      const exported = JSON.parse(mine.text) as Record<string, unknown>;
      expect(mine.text).toContain(w.email);
      expect(mine.text).toContain(w.licenceId);
      expect(exported).toMatchObject({ format: expect.stringContaining('nomina.subject-export') as string });
      const asked = expectStatus(await service.api.post('/v1/privacy/me/requests').set(bearer(session)).send({ type: 'access' }), 201);
      expect(asked.body.type).toBe('access');
      const officer = expectStatus(await service.api.get(`/v1/privacy/subjects/${w.contactId}/export`).set(bearer(staff.privacyOfficer)).set('X-Purpose', `access request ${asked.body.id}`), 200);
      expect(officer.text).toContain(w.email);
      expect(await auditActionsAbout(service, staff, w.contactId)).toEqual(expect.arrayContaining(['subject.export']));
      await expectAuditTrailReadable(service, staff, w.contactId);
    });
  });

  it('lets the holder correct their data, which staff then see (rectification)', async () => {
    await journey('rectification', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin);
      const session = await subjectSession(service, mail, w.email);
      const corrected = expectStatus(await service.api.patch('/v1/privacy/me').set(bearer(session)).send({ lastName: 'Janssens-Corrected', phone: '+32 9 765 43 21' }), 200);
      expect(corrected.body).toMatchObject({ lastName: 'Janssens-Corrected', phone: '+32 9 765 43 21' });
      expect(expectStatus(await service.api.get('/v1/privacy/me').set(bearer(session)), 200).body.lastName).toBe('Janssens-Corrected');
      const seen = expectStatus(await service.api.get(`/v1/contacts/${w.contactId}`).set(bearer(staff.support)).set('X-Purpose', 'ticket #12'), 200);
      expect(seen.body).toMatchObject({ lastName: 'Janssens-Corrected', view: 'full' });
      const byStaff = expectStatus(await service.api.patch(`/v1/contacts/${w.contactId}`).set(bearer(staff.support)).set('X-Purpose', 'ticket #12').send({ jobTitle: 'Diensthoofd' }), 200);
      expect(byStaff.body.jobTitle).toBe('Diensthoofd');
      await expectAuditTrailReadable(service, staff, w.contactId);
    });
  });

  it('stops telemetry on an objection and on a restriction, and the privacy officer can lift both', async () => {
    await journey('objection and restriction', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin);
      const pc = await activeDevice(w);
      expect(pc.telemetry).toBe('on');
      const send = async (token: string) => expectStatus(await service.api.post('/v1/telemetry').set(bearer(token)).send(telemetryBatch(2)), 202).body;
      expect(await send(pc.token)).toMatchObject({ accepted: 2 });
      const session = await subjectSession(service, mail, w.email);

      for (const [request, lift] of [
        [{ type: 'objection', scope: ['telemetry'] }, { objections: { telemetry: false } }],
        [{ type: 'restriction', reason: 'contesting accuracy' }, { restricted: false }],
      ] as const) {
        expectStatus(await service.api.post('/v1/privacy/me/requests').set(bearer(session)).send(request), 201);
        const off = expectStatus(await validateOverHttp(service, w, pc.device), 200);
        expect(off.body).toMatchObject({ valid: true, code: 'VALID', telemetry: 'off' });
        expect(await send(off.body.token)).toMatchObject({ accepted: 0, telemetry: 'off' });
        expectStatus(await service.api.patch(`/v1/privacy/subjects/${w.contactId}/processing`).set(bearer(staff.privacyOfficer)).send(lift), 200);
        const on = expectStatus(await validateOverHttp(service, w, pc.device), 200);
        expect(on.body).toMatchObject({ valid: true, telemetry: 'on' });
        expect(await send(on.body.token)).toMatchObject({ accepted: 2 });
      }
      await expectAuditTrailReadable(service, staff, w.contactId);
    });
  });

  it('lets support find a licence by the holder’s e-mail, masked, and see the holder in full only with a stated purpose', async () => {
    await journey('support lookup', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin);
      await activeDevice(w);
      const found = expectStatus(await service.api.get('/v1/licences').query({ q: w.email }).set(bearer(staff.support)), 200);
      expect(found.body.items.map((l: { id: string }) => l.id)).toEqual([w.licenceId]);
      const masked = expectStatus(await service.api.get(`/v1/contacts/${w.contactId}`).set(bearer(staff.support)), 200);
      expect(masked.body.view).toBe('masked');
      expect(masked.text).not.toContain(w.email);
      expect(masked.text).not.toContain(w.lastName);
      const full = expectStatus(await service.api.get(`/v1/contacts/${w.contactId}`).set(bearer(staff.support)).set('X-Purpose', 'ticket #5150'), 200);
      expect(full.body).toMatchObject({ view: 'full', email: w.email, lastName: w.lastName });
      const reads = expectStatus(await service.api.get(`/v1/audit?subjectId=${w.contactId}&action=contact.read`).set(bearer(staff.auditor)), 200);
      expect(reads.body.items.map((e: { purpose: string | null }) => e.purpose)).toEqual(expect.arrayContaining(['ticket #5150']));
      await expectAuditTrailReadable(service, staff, w.contactId);
    });
  });

  it('raises a fraud alert when more PCs than allowed try a licence, and a person decides it', async () => {
    await journey('fraud review', async () => {
      const w = await buildLicenceOverHttp(service, staff.admin, { maxMachines: 1 });
      const first = await activeDevice(w);
      for (let i = 0; i < 2; i += 1) {
        expect(expectStatus(await validateOverHttp(service, w), 200).body).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES' });
      }
      // Signals are evaluated after the answer: wait for the alert.
      let alerts: { id: string; signal: string; status: string }[] = [];
      for (const until = Date.now() + 20_000; alerts.length === 0 && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        alerts = expectStatus(await service.api.get('/v1/fraud/alerts').query({ licenceId: w.licenceId }).set(bearer(staff.support)), 200).body.items;
      }
      expect(alerts).toEqual([expect.objectContaining({ signal: 'device_fanout', status: 'open' })]);
      // The licence is not sanctioned by the profile; validation warns, a person decides.
      expect(expectStatus(await validateOverHttp(service, w, first.device), 200).body).toMatchObject({ valid: true, warnings: expect.arrayContaining(['UNDER_REVIEW']) as string[] });
      // Support takes it under review and notes what it found; the privacy officer decides.
      expectStatus(await service.api.post(`/v1/fraud/alerts/${alerts[0].id}/decision`).set(bearer(staff.support)).send({ decision: 'under_review' }), 200);
      expectStatus(await service.api.post(`/v1/fraud/alerts/${alerts[0].id}/comments`).set(bearer(staff.support)).send({ body: 'Holder replaced a broken laptop; confirmed by phone.' }), 201);
      const decided = expectStatus(await service.api.post(`/v1/fraud/alerts/${alerts[0].id}/decision`).set(bearer(staff.privacyOfficer))
        .send({ decision: 'dismissed', reason: 'The holder replaced a broken laptop; confirmed by phone.' }), 200);
      expect(decided.body).toMatchObject({ status: 'dismissed' });
      const after = expectStatus(await validateOverHttp(service, w, first.device), 200);
      expect(after.body).toMatchObject({ valid: true, code: 'VALID' });
      expect(after.body.warnings).not.toContain('UNDER_REVIEW');
      await expectAuditTrailReadable(service, staff, w.contactId);
    });
  });

  it('erases in a retention run the holders of a customer whose agreement ended more than 2 years ago', async () => {
    await journey('retention', async () => {
      const old = await buildLicenceOverHttp(service, staff.admin, { agreementEndsAt: new Date(Date.now() - 800 * DAY), validUntil: new Date(Date.now() - 790 * DAY) });
      const current = await buildLicenceOverHttp(service, staff.admin);
      const dry = expectStatus(await service.api.post('/v1/retention/runs').set(bearer(staff.privacyOfficer)).send({ dryRun: true }), 201);
      expect(dry.body.result.subjects.due).toBeGreaterThanOrEqual(1);
      expectStatus(await service.api.get(`/v1/contacts/${old.contactId}`).set(bearer(staff.admin)), 200);
      const run = expectStatus(await service.api.post('/v1/retention/runs').set(bearer(staff.privacyOfficer)).send({ dryRun: false }), 201);
      expect(run.body.result.subjects.erased).toBeGreaterThanOrEqual(1);
      const receipt = await verifyReceiptWithJwks(service, run.body.receipt, 'nomina-retention-receipt+jwt');
      expect(receipt).toMatchObject({ receipt: 'retention', runId: run.body.id });
      expectStatus(await service.api.get(`/v1/contacts/${old.contactId}`).set(bearer(staff.admin)), 404);
      expectStatus(await service.api.get(`/v1/contacts/${current.contactId}`).set(bearer(staff.admin)), 200);
      const listed = expectStatus(await service.api.get('/v1/retention/runs').set(bearer(staff.auditor)), 200);
      expect(listed.body.items[0]).toMatchObject({ id: run.body.id, receipt: run.body.receipt });
      await expectAuditTrailReadable(service, staff, old.contactId);
    });
  });

  it('measures the erasure of a holder with 10,000 telemetry events (reported, the service stays responsive)', async () => {
    const w = await buildLicenceOverHttp(service, staff.admin);
    const pc = await activeDevice(w);
    const seeded = Date.now();
    for (let i = 0; i < 100; i += 1) {
      // Distinct times per batch: the events spread over the last ~28 hours.
      const res = expectStatus(await service.api.post('/v1/telemetry').set(bearer(pc.token)).send(telemetryBatch(100, new Date(Date.now() - i * 1000 * 1000))), 202);
      expect(res.body.accepted).toBe(100);
    }
    const seedMs = Date.now() - seeded;
    const session = await subjectSession(service, mail, w.email);
    const asked = expectStatus(await service.api.post('/v1/privacy/me/requests').set(bearer(session)).send({ type: 'erasure' }), 201);
    const { result, readiness } = await journey('erasure of 10,000 events', async () => {
      const started = performance.now();
      const done = expectStatus(await service.api.post(`/v1/privacy/requests/${asked.body.id}/actions/complete`)
        .set(bearer(staff.privacyOfficer)).send({ endRunningLicences: true }), 200);
      return { ms: Math.round(performance.now() - started), receipt: done.body.receipt as string };
    });
    const receipt = await verifyReceiptWithJwks(service, result.receipt, 'nomina-erasure-receipt+jwt');
    const erased = Object.fromEntries((receipt.erased as { store: string; records: number }[]).map((e) => [e.store, e.records]));
    expect(erased.telemetry_events).toBe(10_000);
    console.log(`[measure] ${label}: erasing a subject with 10,000 telemetry events took ${result.ms} ms (seeding over HTTP: ${seedMs} ms); `
      + `/readyz meanwhile: ${readiness.polls} polls, answers ${JSON.stringify(readiness.answers)}, slowest ${readiness.maxMs} ms (at most ${readiness.maxWaitMs} ms beyond /healthz)`);
    await expectAuditTrailReadable(service, staff, w.contactId);
  }, 180_000);
});
