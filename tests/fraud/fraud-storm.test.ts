/**
 * A fraud storm (issue 15): many licences, each validating concurrently from a new address on
 * every request, as a leaked key does. On both databases: no evaluation fails, each licence gets
 * one overlap alert whose evidence a reviewer can read in full, observations of one licence are
 * coalesced, and erasure still shreds and removes the appended evidence.
 */
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { eraseSubjectFraudEvidence, listSubjectFraudAlerts } from '../../src/fraud/subject-fraud-data';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { buildLicence } from '../support/factories';
import { createEmbeddedHarness } from '../support/embedded-harness';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validateBody } from '../validation/validate-helpers';

jest.setTimeout(120_000);

type World = Harness;
const onPostgres = createHarness;
const onEmbedded = createEmbeddedHarness;

const metric = async (services: Services, name: string) => {
  const line = (await services.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe.each([['PostgreSQL', onPostgres], ['the embedded database', onEmbedded]] as const)('a fraud storm on %s', (_label, open) => {
  let w: World;
  beforeAll(async () => { w = await open(); });
  afterAll(() => w.close());

  const LICENCES = 12;
  const PER_LICENCE = 15;

  async function storm() {
    const licences = await Promise.all(Array.from({ length: LICENCES }, () => buildLicence({ services: w.services } as Harness)));
    const pcs = licences.map(() => aDevice());
    // The first validation activates the PC; then every licence at once, each request from a new
    // address in one of four networks (so the device comes back to a network within minutes).
    await Promise.all(licences.map((l, i) => w.api.post('/v1/validate').set('X-Forwarded-For', `192.0.2.${i + 1}`).send(validateBody(l.key, l.product.code, pcs[i])).expect(200)));
    let n = 0;
    const answers = await Promise.all(licences.flatMap((l, i) => Array.from({ length: PER_LICENCE }, (_, k) => {
      n += 1;
      return w.api.post('/v1/validate').set('X-Forwarded-For', `198.${18 + (k % 2)}.${(i * 4 + (k % 4)) % 250}.${1 + (n % 250)}`).send(validateBody(l.key, l.product.code, pcs[i]));
    })));
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    await drainFraudEvaluations(w.services);
    return licences;
  }

  it('fails no evaluation, coalesces each licence\u2019s validations, and opens one overlap alert per licence with its evidence', async () => {
    const coalescedBefore = (await metric(w.services, 'nomina_fraud_observations_coalesced_total')) ?? 0;
    const licences = await storm();
    expect(w.logs.filter((l) => l.includes('fraud evaluation failed'))).toEqual([]);
    expect(await metric(w.services, 'nomina_fraud_evaluation_errors_total')).toBe(0);
    // Fifteen validations per licence at once: most of them wait together and are evaluated as one.
    expect((await metric(w.services, 'nomina_fraud_observations_coalesced_total'))! - coalescedBefore).toBeGreaterThan(LICENCES * 5);
    expect(await metric(w.services, 'nomina_fraud_evaluation_backlog')).toBe(0);

    const alerts = await w.services.prisma.fraudAlert.findMany({ where: { licenceId: { in: licences.map((l) => l.licence.id) } } });
    expect(alerts.map((a) => a.signal)).toEqual(licences.map(() => 'overlap'));
    // Each opening wrote its webhook event in the same statement (the outbox).
    const events = await w.services.prisma.webhookEvent.findMany({ where: { type: 'fraud.alert.opened' }, select: { data: true } });
    const announced = new Set(events.map((e) => (e.data as { alertId: string }).alertId));
    expect(alerts.filter((a) => !announced.has(a.id))).toEqual([]);
    const token = await w.login('privacy_officer');
    for (const alert of alerts.slice(0, 3)) {
      const read = await w.api.get(`/v1/fraud/alerts/${alert.id}`).set({ Authorization: `Bearer ${token}` }).expect(200);
      // Complete enough for the reviewer: the networks (several), how often it fired, when.
      expect(read.body.evidence.items.filter((i: { kind: string }) => i.kind === 'network').length).toBeGreaterThanOrEqual(3);
      expect(read.body.evidence.occurrences).toBe(alert.evidenceCount);
      expect(read.body.evidence.firstAt <= read.body.evidence.lastAt).toBe(true);
      expect(read.body.evidence).not.toHaveProperty('firingsWithoutDetail');
    }
  });

  it('erasure removes the appended evidence, and a destroyed key leaves none of it readable', async () => {
    const [licence] = await storm();
    const alert = await w.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: licence.licence.id } });
    await w.services.subjects.destroyKey(licence.holderId);
    const [shredded] = await listSubjectFraudAlerts(w.services, licence.holderId);
    expect(shredded.evidence).toBeNull();
    const erased = await eraseSubjectFraudEvidence(w.services, licence.holderId);
    expect(erased.alerts).toBe(1);
    expect(erased.evidenceEntries).toBe(alert.evidenceCount - 1);
    expect(await w.services.prisma.fraudAlertEvidence.count({ where: { alertId: alert.id } })).toBe(0);
  });
});
