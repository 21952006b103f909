import { notificationDeadline, notificationState } from '../../src/breaches/breach-deadline';
import { registerPrivacyMetrics } from '../../src/privacy/privacy-metrics';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); registerPrivacyMetrics(h.services); });
afterAll(() => h.close());

describe('the 72-hour notification deadline', () => {
  const awareAt = new Date('2026-11-20T10:00:00Z');
  it('is 72 hours after awareness', () => {
    expect(notificationDeadline(awareAt).toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });
  it('is pending, then overdue, or notified (late)', () => {
    expect(notificationState({ awareAt, authorityNotifiedAt: null }, new Date('2026-11-23T09:59:00Z'))).toBe('pending');
    expect(notificationState({ awareAt, authorityNotifiedAt: null }, new Date('2026-11-23T10:01:00Z'))).toBe('overdue');
    expect(notificationState({ awareAt, authorityNotifiedAt: new Date('2026-11-22T00:00:00Z') }, new Date('2026-12-01T00:00:00Z'))).toBe('notified');
    expect(notificationState({ awareAt, authorityNotifiedAt: new Date('2026-11-24T00:00:00Z') }, new Date('2026-12-01T00:00:00Z'))).toBe('notified_late');
  });
});

describe('/v1/breaches', () => {
  const breach = (awareAt: Date) => ({
    title: 'Laptop stolen', description: 'A support laptop with a cached export was stolen.', awareAt: awareAt.toISOString(),
    categories: ['contact_data'], approxSubjects: 12, approxRecords: 12, measures: 'Disk encrypted; remote wipe sent.',
  });

  it('records a breach with its deadline; overdue notifications show in the register and in metrics', async () => {
    const dpo = await h.login('privacy_officer');
    const late = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach(new Date(Date.now() - 80 * 3_600_000))).expect(201);
    expect(late.body.notificationState).toBe('overdue');
    const fresh = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach(new Date(Date.now() - 3_600_000))).expect(201);
    expect(fresh.body).toMatchObject({ notificationState: 'pending', notificationDeadline: new Date(new Date(fresh.body.awareAt).getTime() + 72 * 3_600_000).toISOString() });

    let metrics = await h.api.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/nomina_breach_notifications_overdue 1\b/);
    const overdue = await h.api.get('/v1/breaches?state=overdue').set(h.auth(await h.login('auditor'))).expect(200);
    expect(overdue.body.items.map((b: { id: string }) => b.id)).toEqual([late.body.id]);

    const notified = await h.api.patch(`/v1/breaches/${late.body.id}`).set(h.auth(dpo)).send({ authorityNotifiedAt: new Date().toISOString() }).expect(200);
    expect(notified.body.notificationState).toBe('notified_late');
    metrics = await h.api.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/nomina_breach_notifications_overdue 0\b/);
    // Recording and updating are audited; an unknown breach is a 404.
    const actions = (await h.services.prisma.auditEntry.findMany({ where: { resourceType: 'breach', resourceId: late.body.id } })).map((e) => e.action);
    expect(actions.sort()).toEqual(['breach.record', 'breach.update']);
    expect((await h.api.patch('/v1/breaches/00000000-0000-4000-8000-000000000000').set(h.auth(dpo)).send({ measures: 'x' })).status).toBe(404);
  });

  it('refuses bad input with pointers and other roles with 403', async () => {
    const dpo = await h.login('privacy_officer');
    const res = await h.api.post('/v1/breaches').set(h.auth(dpo)).send({ ...breach(new Date()), approxSubjects: -1, awareAt: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/approxSubjects', '/awareAt']);
    expect((await h.api.post('/v1/breaches').set(h.auth(await h.login('support'))).send(breach(new Date()))).status).toBe(403);
  });
});
