/**
 * One test per defect reported in issue 10, each written as the reporter met it, so each fails
 * if its cause comes back: upper-case ids, the audit trail after an erasure, a correction racing
 * an objection, a database outage, an unreachable Redis, two instances bootstrapping together.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLicence, buildPolicy } from '../support/factories';
import { createHarness, dropTestDatabase, type Harness } from '../support/harness';
import { freePort, startService, type ServiceProcess } from '../support/service-process';
import { buildSubjectWorld } from '../privacy/support/subject-world';
import { databaseUrl, templateName, withAdminClient } from '../setup/test-database';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

jest.setTimeout(60_000);

const PROBLEM_JSON = /^application\/problem\+json/;

describe('on PostgreSQL, through the app', () => {
  let h: Harness;
  let dpo: string;
  let auditor: string;
  let admin: string;
  beforeAll(async () => {
    h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-defects-')) });
    [dpo, auditor, admin] = [await h.login('privacy_officer'), await h.login('auditor'), await h.login('admin')];
  });
  afterAll(() => h.close());

  const subjectToken = async (contactId: string) => (await h.services.sessions.issueSubject(contactId, 900)).token;

  describe('an upper-case UUID', () => {
    it('exports the whole subject, and the audit chain still verifies afterwards', async () => {
      const w = await buildSubjectWorld(h);
      const res = await h.api.get(`/v1/privacy/subjects/${w.contactId.toUpperCase()}/export`).set(h.auth(dpo)).set('X-Purpose', 'access request');
      expect(res.status).toBe(200);
      // Not cut off mid-stream: the whole document parses and names the subject by its canonical id.
      const exported = JSON.parse(res.text) as Record<string, unknown>;
      expect(JSON.stringify(exported)).toContain(w.contactId);
      const entry = await h.services.prisma.auditEntry.findFirstOrThrow({ where: { action: { contains: 'export' }, subjectId: w.contactId }, orderBy: { seq: 'desc' } });
      expect(entry.subjectId).toBe(w.contactId);
      expect((await h.api.get('/v1/audit/verify').set(h.auth(auditor)).expect(200)).body).toMatchObject({ ok: true });
    });

    it('is accepted by the processing choices and the audit filter, and gives the same answers as the lower-case id', async () => {
      const w = await buildSubjectWorld(h);
      const upper = w.contactId.toUpperCase();
      const choices = await h.api.patch(`/v1/privacy/subjects/${upper}/processing`).set(h.auth(dpo)).send({ objections: { telemetry: true } });
      expect(choices.status).toBe(200);
      const read = await h.api.get(`/v1/audit?subjectId=${upper}`).set(h.auth(auditor));
      expect(read.status).toBe(200);
      expect(read.body.items.length).toBeGreaterThan(0);
      expect(new Set(read.body.items.map((e: { subjectId: string }) => e.subjectId))).toEqual(new Set([w.contactId]));
      expect((await h.api.get(`/v1/contacts/${upper}`).set(h.auth(admin)).expect(200)).body.id).toBe(w.contactId);
      expect((await h.api.get('/v1/audit/verify').set(h.auth(auditor)).expect(200)).body).toMatchObject({ ok: true });
    });

    it('finds the holder when a licence is issued with upper-case holderId, customerId and policyId', async () => {
      const w = await buildSubjectWorld(h);
      const policy = await buildPolicy(h);
      const contact = await h.api.get(`/v1/contacts/${w.contactId}`).set(h.auth(admin)).expect(200);
      const res = await h.api.post('/v1/licences').set(h.auth(admin))
        .send({ policyId: policy.id.toUpperCase(), holderId: w.contactId.toUpperCase(), customerId: String(contact.body.customerId).toUpperCase() });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ holder: { id: w.contactId }, policyId: policy.id, customerId: contact.body.customerId });
    });
  });

  it('reads the audit trail after an erasure: 200 for the auditor and the privacy officer, and it verifies', async () => {
    const w = await buildSubjectWorld(h, { validUntil: new Date(Date.now() - 86_400_000) });
    const erased = await h.api.post('/v1/privacy/me/requests').set(h.auth(await subjectToken(w.contactId))).send({ type: 'erasure' }).expect(201);
    expect(erased.body.status).toBe('completed');
    for (const token of [auditor, dpo]) {
      await h.api.get('/v1/audit?limit=100').set(h.auth(token)).expect(200);
      const about = await h.api.get(`/v1/audit?subjectId=${w.contactId}`).set(h.auth(token)).expect(200);
      expect(about.body.items.length).toBeGreaterThan(0);
    }
    expect((await h.api.get('/v1/audit/verify').set(h.auth(auditor)).expect(200)).body).toMatchObject({ ok: true });
  });

  it('answers no 500 when a correction races an objection or a restriction for the same person (20 pairs of each kind)', async () => {
    const w = await buildSubjectWorld(h);
    const subject = await subjectToken(w.contactId);
    const support = await h.login('support');
    const statuses: number[] = [];
    const record = (res: { status: number }) => { statuses.push(res.status); };
    for (let i = 0; i < 20; i += 1) {
      await Promise.all([
        h.api.patch('/v1/privacy/me').set(h.auth(subject)).send({ phone: `+32 2 555 01 ${10 + i}` }).then(record),
        h.api.post('/v1/privacy/me/requests').set(h.auth(subject)).send(i % 2 ? { type: 'objection', scope: ['telemetry'] } : { type: 'restriction', reason: 'accuracy' }).then(record),
      ]);
      await Promise.all([
        h.api.patch(`/v1/contacts/${w.contactId}`).set(h.auth(support)).set('X-Purpose', `ticket #${i}`).send({ department: `Dienst ${i}` }).then(record),
        h.api.patch(`/v1/privacy/subjects/${w.contactId}/processing`).set(h.auth(dpo)).send(i % 2 ? { restricted: false, objections: { telemetry: false } } : { objections: { telemetry: true } }).then(record),
      ]);
    }
    expect(statuses).toHaveLength(80);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect((await h.api.get('/v1/audit/verify').set(h.auth(auditor)).expect(200)).body).toMatchObject({ ok: true });
  });
});

describe('a database that cannot be reached', () => {
  let h: Harness;
  const databaseName = () => new URL(h.databaseUrl).pathname.slice(1);
  const setReachable = (reachable: boolean) => withAdminClient(async (pg) => {
    await pg.query(`ALTER DATABASE "${databaseName()}" ALLOW_CONNECTIONS ${reachable}`);
    if (!reachable) await pg.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName()]);
  });
  beforeAll(async () => { h = await createHarness(); });
  afterAll(async () => { await setReachable(true); await h.close(); });

  it('answers 503 problem+json with Retry-After (not 500), and serves again as soon as it is back', async () => {
    const { key, product } = await buildLicence(h);
    const staff = await h.login('support');
    const device = aDevice();
    await validate(h, validateBody(key, product.code, device)).expect(200);
    const telemetryToken = (await validate(h, validateBody(key, product.code, device)).expect(200)).body.token as string;

    await setReachable(false);
    const during = [
      await validate(h, validateBody(key, product.code, device)),
      await h.api.post('/v1/telemetry').set(h.auth(telemetryToken)).send({ batchId: crypto.randomUUID(), events: [{ type: 'feature', name: 'x', at: new Date().toISOString() }] }),
      await h.api.get('/v1/licences').set(h.auth(staff)),
      await h.api.get('/readyz'),
    ];
    for (const res of during) {
      const { path: route } = (res as unknown as { req: { path: string } }).req;
      expect({ route, status: res.status }).toEqual({ route, status: 503 });
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.code).toBe('UNAVAILABLE');
    }
    expect(h.logs.join('').includes('unhandled error')).toBe(false);

    await setReachable(true);
    await validate(h, validateBody(key, product.code, device)).expect(200);
    await h.api.get('/v1/licences').set(h.auth(staff)).expect(200);
    await h.api.get('/readyz').expect(200);
  });
});

describe('Redis that cannot be reached', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness({ redisUrl: `redis://127.0.0.1:${await freePort()}` }); });
  afterAll(() => h.close());

  it('still lets desktop apps validate and staff sign in, and /readyz says the rate limits are degraded', async () => {
    const { key, product } = await buildLicence(h);
    const res = await validate(h, validateBody(key, product.code, aDevice()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, code: 'VALID' });
    const staff = await h.staffUser('admin');
    await h.api.post('/v1/staff/sessions').send({ email: staff.email, password: staff.password }).expect(200);
    const ready = await h.api.get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', rateLimits: 'per-instance fallback (redis unreachable)' });
  });
});

describe('two instances starting together on an empty database with NOMINA_BOOTSTRAP_ADMIN_*', () => {
  // Named like the harness's databases, so the global teardown removes it (and its key vault) if this file crashes.
  const name = `nomina_t_${templateName().split('_').slice(2).join('_')}_boot_${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  beforeAll(() => withAdminClient((pg) => pg.query(`CREATE DATABASE "${name}"`)));
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await dropTestDatabase(name);
  });

  it('both start (migrations and the first admin happen once), and the admin signs in on either', async () => {
    const admin = { email: `first.${randomBytes(4).toString('hex')}@vendor.test`, password: `pw-${randomBytes(12).toString('base64url')}` };
    // Instances of one deployment share its secrets (from the environment, as in production).
    const key = () => randomBytes(32).toString('base64');
    const env = { NOMINA_MASTER_KEYS: `k1:${key()}`, NOMINA_INDEX_KEY: key(), NOMINA_KEY_PEPPER: key(), NOMINA_TELEMETRY_KEY: key(), NOMINA_TOKEN_SECRET: key() };
    const started = await Promise.allSettled([0, 1].map(() => startService({ database: 'postgres', databaseUrl: databaseUrl(name), admin, env })));
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    expect(started.map((r) => (r.status === 'rejected' ? String(r.reason).slice(0, 2000) : 'started'))).toEqual(['started', 'started']);
    for (const service of services) {
      const login = await service.api.post('/v1/staff/sessions').send(admin).expect(200);
      const staff = await service.api.get('/v1/staff').set({ Authorization: `Bearer ${login.body.token}` }).expect(200);
      expect(staff.body.items.filter((s: { email: string }) => s.email === admin.email)).toHaveLength(1);
    }
  });
});
