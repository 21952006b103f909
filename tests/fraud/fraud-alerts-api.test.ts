/**
 * The staff side of fraud alerts: the queue, the audited read with masked or full evidence, the
 * life cycle open → under_review → confirmed | dismissed, who may decide, the cool-down after a
 * dismissal, suspension in the same audited action, comments and metrics.
 */
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';
import { openText } from '../../src/crypto/sealed-text';

let h: Harness;
let support: string;
let officer: string;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  [support, officer, admin] = [await h.login('support'), await h.login('privacy_officer'), await h.login('admin')];
});
afterAll(() => h.close());

/** A licence whose one-machine limit was tried by three PCs: one open device fan-out alert. */
async function alerted() {
  const built = await buildLicence(h, { policy: { maxMachines: 1 } });
  for (const pcName of ['PC-A', 'PC-B', 'PC-C']) await validate(h, validateBody(built.key, built.product.code, aDevice({ pcName }))).expect(200);
  await drainFraudEvaluations(h.services);
  const alert = await h.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: built.licence.id } });
  return { ...built, alert };
}

const decide = (token: string, id: string, body: Record<string, unknown>) => h.api.post(`/v1/fraud/alerts/${id}/decision`).set(h.auth(token)).send(body);
const auditOf = (id: string, action: string) => h.audit.findMany({ where: { resourceId: id, action } });

describe('GET /v1/fraud/alerts', () => {
  it('lists alerts filtered by status, signal, severity and customer, without evidence', async () => {
    const { alert, licence } = await alerted();
    const res = await h.api.get('/v1/fraud/alerts').query({ customerId: licence.customerId, status: 'open', signal: 'device_fanout' }).set(h.auth(support)).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id: alert.id, licenceId: licence.id, signal: 'device_fanout', status: 'open', title: 'More computers than the licence allows' })]);
    expect(res.body.items[0].evidence).toBeUndefined();
    const none = await h.api.get('/v1/fraud/alerts').query({ customerId: licence.customerId, status: 'dismissed' }).set(h.auth(support)).expect(200);
    expect(none.body.items).toEqual([]);
    const bad = await h.api.get('/v1/fraud/alerts').query({ signal: 'telepathy', severity: 'extreme' }).set(h.auth(support)).expect(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/query/severity', '/query/signal']);
  });
});

describe('GET /v1/fraud/alerts/:id', () => {
  it('shows support masked evidence without a purpose, full evidence with one, and audits both reads', async () => {
    const { alert, holderId } = await alerted();
    const masked = await h.api.get(`/v1/fraud/alerts/${alert.id}`).set(h.auth(support)).expect(200);
    expect(masked.body).toMatchObject({ view: 'masked', explanation: { title: 'More computers than the licence allows' }, evidence: { summary: { distinct: 3, threshold: 1 } } });
    expect(masked.body.evidence.items.map((i: { key: string }) => i.key)).toEqual(['machine 1', 'machine 2', 'machine 3']);
    const full = await h.api.get(`/v1/fraud/alerts/${alert.id}`).set(h.auth(support)).set('X-Purpose', 'ticket #4711').expect(200);
    expect(full.body.view).toBe('full');
    expect(full.body.evidence.items[0].key).toMatch(/^machine:pc:/);
    const reads = await auditOf(alert.id, 'fraud_alert.read');
    expect(reads.map((r) => [r.subjectId, r.purpose])).toEqual([[holderId, null], [holderId, 'ticket #4711']]);
  });

  it('answers 404 for an unknown alert and 400 for a malformed id', async () => {
    await h.api.get('/v1/fraud/alerts/00000000-0000-4000-8000-000000000000').set(h.auth(officer)).expect(404);
    await h.api.get('/v1/fraud/alerts/nope').set(h.auth(officer)).expect(400);
  });
});

describe('POST /v1/fraud/alerts/:id/decision', () => {
  it('lets support take an alert under review but not conclude it', async () => {
    const { alert } = await alerted();
    const review = await decide(support, alert.id, { decision: 'under_review', reason: 'looking at the device list' }).expect(200);
    expect(review.body).toMatchObject({ status: 'under_review', decidedAt: null });
    expect((await h.services.prisma.fraudAlert.findUniqueOrThrow({ where: { id: alert.id } })).openKey).toBe(alert.openKey);
    const refused = await decide(support, alert.id, { decision: 'dismissed', reason: 'looks fine' }).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(await auditOf(alert.id, 'fraud_alert.review')).toHaveLength(1);
  });

  it('needs a reason to conclude, and a confirmation to suspend', async () => {
    const { alert } = await alerted();
    const noReason = await decide(officer, alert.id, { decision: 'dismissed' }).expect(400);
    expect(noReason.body.errors).toEqual([{ pointer: '/reason', detail: 'a decision needs a reason' }]);
    const badSuspend = await decide(officer, alert.id, { decision: 'dismissed', reason: 'new laptop', suspendLicence: true }).expect(400);
    expect(badSuspend.body.errors[0].pointer).toBe('/suspendLicence');
    expect((await h.services.prisma.fraudAlert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('open');
  });

  it('dismisses with a reason, frees the open key, refuses a second decision, and keeps the signal quiet during the cool-down', async () => {
    const { alert, licence, key, product } = await alerted();
    const res = await decide(officer, alert.id, { decision: 'dismissed', reason: 'old PCs replaced during the roll-out' }).expect(200);
    expect(res.body).toMatchObject({ status: 'dismissed', suspended: false, licenceStatus: null });
    const row = await h.services.prisma.fraudAlert.findUniqueOrThrow({ where: { id: alert.id } });
    expect(row).toMatchObject({ openKey: null, decidedById: (await h.staffUser('privacy_officer')).id });
    // The reason is about the holder: sealed with their key at rest, shown in full to staff.
    expect(row.decisionReason).not.toContain('roll-out');
    expect(await openText(h.services, licence.holderId, 'fraud_alert.decision_reason', row.decisionReason)).toBe('old PCs replaced during the roll-out');
    expect((await decide(admin, alert.id, { decision: 'confirmed', reason: 'changed my mind' }).expect(409)).body.code).toBe('CONFLICT');

    // More machines the same day: the dismissed evidence does not reopen the alert.
    await validate(h, validateBody(key, product.code, aDevice({ pcName: 'PC-D' }))).expect(200);
    await drainFraudEvaluations(h.services);
    expect(await h.services.prisma.fraudAlert.count({ where: { licenceId: licence.id } })).toBe(1);
    const verdict = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'PC-A' }))).expect(200);
    expect(verdict.body.warnings).not.toContain('UNDER_REVIEW');

    // After the window, new fan-out opens a new alert.
    const realNow = h.services.now;
    const later = () => new Date(Date.now() + 25 * 3600_000);
    h.services.now = later;
    try {
      for (const pcName of ['PC-E', 'PC-F']) await validate(h, validateBody(key, product.code, aDevice({ pcName }), { clientTime: later().toISOString() })).expect(200);
      await drainFraudEvaluations(h.services);
    } finally {
      h.services.now = realNow;
    }
    const alerts = await h.services.prisma.fraudAlert.findMany({ where: { licenceId: licence.id }, orderBy: { openedAt: 'asc' } });
    expect(alerts.map((a) => [a.signal, a.status])).toEqual([['device_fanout', 'dismissed'], ['device_fanout', 'open']]);
  });

  it('confirms and suspends the licence in the same transaction and the same audit entry', async () => {
    const { alert, licence, key, product, holderId } = await alerted();
    const res = await decide(admin, alert.id, { decision: 'confirmed', reason: 'key posted on a forum', suspendLicence: true }).set('X-Purpose', 'case 99').expect(200);
    expect(res.body).toMatchObject({ status: 'confirmed', suspended: true, licenceStatus: 'suspended' });
    expect((await h.services.prisma.licence.findUniqueOrThrow({ where: { id: licence.id } })).status).toBe('suspended');
    const [entry] = await auditOf(alert.id, 'fraud_alert.decide');
    expect(entry).toMatchObject({ subjectId: holderId, purpose: 'case 99', actorType: 'staff' });
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'licence.suspend', resourceId: licence.id } })).toBe(0);
    const verdict = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'PC-A' }))).expect(200);
    expect(verdict.body).toMatchObject({ valid: false, code: 'SUSPENDED' });
  });

  it('refuses to suspend a revoked licence, and then changes neither the alert nor the licence', async () => {
    const { alert, licence } = await alerted();
    await h.api.post(`/v1/licences/${licence.id}/actions/revoke`).set(h.auth(admin)).send({ reason: 'contract ended' }).expect(200);
    const refused = await decide(admin, alert.id, { decision: 'confirmed', reason: 'key posted on a forum', suspendLicence: true }).expect(409);
    expect(refused.body.detail).toMatch(/revoked licence cannot be suspended/);
    expect(await h.services.prisma.fraudAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: 'open', decidedAt: null, suspended: false });
    const revoked = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: licence.id } });
    expect(revoked.status).toBe('revoked');
    expect(await openText(h.services, licence.holderId, 'licence.status_reason', revoked.statusReason)).toBe('contract ended');
    expect(await auditOf(alert.id, 'fraud_alert.decide')).toEqual([]);
  });

  it('records time to decision and counts opened and open alerts in /metrics', async () => {
    const { alert } = await alerted();
    await decide(officer, alert.id, { decision: 'confirmed', reason: 'confirmed with the customer' }).expect(200);
    const metrics = (await h.api.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/nomina_fraud_alerts_opened_total\{signal="device_fanout"\} [1-9]/);
    expect(metrics).toMatch(/nomina_fraud_alerts_open [0-9]+/);
    expect(metrics).toMatch(/nomina_fraud_decision_seconds_count\{decision="confirmed"\} [1-9]/);
  });
});

describe('POST /v1/fraud/alerts/:id/comments', () => {
  it('stores a comment sealed with the holder\u2019s key, audited without its text, masked for support without a purpose', async () => {
    const { alert } = await alerted();
    const res = await h.api.post(`/v1/fraud/alerts/${alert.id}/comments`).set(h.auth(support)).send({ body: 'Called Jan: new laptop from IT' }).expect(201);
    expect(res.body).toMatchObject({ body: 'Called Jan: new laptop from IT' });
    const stored = await h.services.prisma.fraudAlertComment.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(stored.body).not.toContain('new laptop from IT');
    const [entry] = await auditOf(alert.id, 'fraud_alert.comment');
    expect(`${entry.details} ${entry.purpose}`).not.toContain('Called Jan');
    const masked = await h.api.get(`/v1/fraud/alerts/${alert.id}`).set(h.auth(support)).expect(200);
    expect(masked.body.comments).toEqual([expect.objectContaining({ body: '•••' })]);
    const full = await h.api.get(`/v1/fraud/alerts/${alert.id}`).set(h.auth(officer)).expect(200);
    expect(full.body.comments[0].body).toBe('Called Jan: new laptop from IT');
    await h.api.post(`/v1/fraud/alerts/${alert.id}/comments`).set(h.auth(support)).send({ body: '' }).expect(400);
  });
});

describe('OpenAPI', () => {
  it('documents the fraud routes', async () => {
    const paths = Object.keys((await h.api.get('/openapi.json').expect(200)).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/fraud/alerts', '/v1/fraud/alerts/{id}', '/v1/fraud/alerts/{id}/decision', '/v1/fraud/alerts/{id}/comments', '/v1/privacy/me/fraud-alerts/{id}/contest']));
  });
});
