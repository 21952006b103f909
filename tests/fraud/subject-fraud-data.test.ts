/**
 * The holder's side: alerts and decisions in their export (with plain-language explanations and
 * without other people's identifiers), contesting an alert, objection to profiling, erasure.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import { countSubjectFraudData, eraseSubjectFraudEvidence, listSubjectFraudAlerts } from '../../src/fraud/subject-fraud-data';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, randomMac, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

/** Licence B's PC carries the MAC of licence A's PC under another name: an alert on B. */
async function clonedImage() {
  const a = await buildLicence(h);
  const b = await buildLicence(h);
  const mac = randomMac();
  await validate(h, validateBody(a.key, a.product.code, aDevice({ pcName: 'MASTER-IMAGE', macAddresses: [mac] }))).expect(200);
  await validate(h, validateBody(b.key, b.product.code, aDevice({ pcName: 'CLONE-17', macAddresses: [mac] }))).expect(200);
  await drainFraudEvaluations(h.services);
  const alert = await h.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: b.licence.id } });
  return { a, b, alert };
}

const subjectToken = async (contactId: string) => (await h.services.sessions.issueSubject(contactId, 900)).token;

describe('listSubjectFraudAlerts', () => {
  it('explains each alert and its decision, and never shows the other licence', async () => {
    const { a, b, alert } = await clonedImage();
    const officer = await h.login('privacy_officer');
    await h.api.post(`/v1/fraud/alerts/${alert.id}/decision`).set(h.auth(officer)).send({ decision: 'dismissed', reason: 'VMs built from one template by the customer\u2019s IT' }).expect(200);
    const [item] = await listSubjectFraudAlerts(h.services, b.holderId);
    expect(item).toMatchObject({
      id: alert.id, signal: 'mac_collision', status: 'dismissed',
      explanation: { title: 'A network adapter address seen on another computer' },
      statusExplanation: expect.stringContaining('not misuse'),
      decision: { reason: 'VMs built from one template by the customer\u2019s IT', licenceSuspended: false },
    });
    expect(item.evidence!.items).toHaveLength(1);
    expect(JSON.stringify(item)).not.toContain(a.licence.id);
    expect(item.evidence!.items[0].detail).not.toHaveProperty('otherDeviceId');
    expect(await listSubjectFraudAlerts(h.services, a.holderId)).toEqual([]);
  });
});

describe('POST /v1/privacy/me/fraud-alerts/:id/contest', () => {
  it('opens one objection request linked to the alert, with the legal deadline', async () => {
    const { b, alert } = await clonedImage();
    const token = await subjectToken(b.holderId);
    const res = await h.api.post(`/v1/privacy/me/fraud-alerts/${alert.id}/contest`).set(h.auth(token)).send({ reason: 'I reinstalled from our own image' }).expect(201);
    expect(res.body).toMatchObject({ type: 'objection', status: 'identity_verified', fraudAlertId: alert.id });
    expect(new Date(res.body.dueAt).getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    const again = await h.api.post(`/v1/privacy/me/fraud-alerts/${alert.id}/contest`).set(h.auth(token)).send({ reason: 'again' }).expect(200);
    expect(again.body.id).toBe(res.body.id);
    const request = await h.services.prisma.privacyRequest.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(request).toMatchObject({ contactId: b.holderId, type: 'objection', scope: ['fraud_profiling'], fraudAlertId: alert.id });
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'fraud_alert.contest', resourceId: alert.id, actorType: 'subject' } })).toBe(1);
    const [listed] = await listSubjectFraudAlerts(h.services, b.holderId);
    expect(listed.contests).toEqual([expect.objectContaining({ requestId: res.body.id })]);
  });

  it('answers 404 for another holder\u2019s alert, and 400 without a reason', async () => {
    const { a, alert } = await clonedImage();
    const token = await subjectToken(a.holderId);
    await h.api.post(`/v1/privacy/me/fraud-alerts/${alert.id}/contest`).set(h.auth(token)).send({ reason: 'not mine' }).expect(404);
    const bad = await h.api.post(`/v1/privacy/me/fraud-alerts/${alert.id}/contest`).set(h.auth(token)).send({}).expect(400);
    expect(bad.body.errors[0].pointer).toBe('/reason');
  });
});

describe('objection to profiling', () => {
  it('observes and keeps nothing about a holder who objected, while contractual limits still apply', async () => {
    const built = await buildLicence(h, { policy: { maxMachines: 1 } });
    await h.services.prisma.contact.update({ where: { id: built.holderId }, data: { profilingObjectedAt: new Date() } });
    await validate(h, validateBody(built.key, built.product.code, aDevice())).expect(200);
    const refused = await validate(h, validateBody(built.key, built.product.code, aDevice())).expect(200);
    await validate(h, validateBody(built.key, built.product.code, aDevice())).expect(200);
    await drainFraudEvaluations(h.services);
    expect(refused.body.code).toBe('TOO_MANY_MACHINES');
    expect(await h.services.prisma.fraudAlert.count({ where: { licenceId: built.licence.id } })).toBe(0);
    expect(await h.services.prisma.fraudObservation.count({ where: { licenceId: built.licence.id } })).toBe(0);
  });
});

describe('an objection to profiling made while the app is in use', () => {
  it('applies to the very next validation, on every instance (no per-instance cache keeps profiling)', async () => {
    const built = await buildLicence(h, { policy: { maxMachines: 5 } });
    const instanceB = request(createApp(buildServices(h.config, h.db, createLogger('silent'))));
    // Profiled while no objection is in force: the first PC is observed (instance A).
    await validate(h, validateBody(built.key, built.product.code, aDevice())).expect(200);
    await drainFraudEvaluations(h.services);
    const before = await h.services.prisma.fraudObservation.count({ where: { licenceId: built.licence.id } });
    expect(before).toBeGreaterThan(0);
    await h.api.post('/v1/privacy/me/requests').set(h.auth(await subjectToken(built.holderId))).send({ type: 'objection', scope: ['fraud_profiling'] }).expect(201);
    // A second later a new PC, on either instance: nothing new is observed.
    await validate(h, validateBody(built.key, built.product.code, aDevice())).expect(200);
    await instanceB.post('/v1/validate').send(validateBody(built.key, built.product.code, aDevice())).expect(200);
    await drainFraudEvaluations(h.services);
    expect(await h.services.prisma.fraudObservation.count({ where: { licenceId: built.licence.id } })).toBe(before);
  });
});

describe('eraseSubjectFraudEvidence', () => {
  it('erases alerts, comments and observations, re-runnably; a shredded key leaves no readable evidence', async () => {
    const { b, alert } = await clonedImage();
    await h.api.post(`/v1/fraud/alerts/${alert.id}/comments`).set(h.auth(await h.login('support'))).send({ body: 'checking' }).expect(201);
    expect(await countSubjectFraudData(h.services, b.holderId)).toBeGreaterThan(2);
    await h.services.subjects.destroyKey(b.holderId);
    const [shredded] = await listSubjectFraudAlerts(h.services, b.holderId);
    expect(shredded).toMatchObject({ evidence: null, comments: [expect.objectContaining({ body: null })] });
    const first = await eraseSubjectFraudEvidence(h.services, b.holderId);
    expect(first).toMatchObject({ alerts: 1, comments: 1 });
    expect(first.observations).toBeGreaterThan(0);
    expect((await eraseSubjectFraudEvidence(h.services, b.holderId)).total).toBe(0);
    expect(await countSubjectFraudData(h.services, b.holderId)).toBe(0);
  });
});
