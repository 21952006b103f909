/**
 * Webhooks end to end, with a real HTTP receiver on a local port: every event type arrives once
 * and verifies with the `standardwebhooks` reference verifier; failures are retried with the same
 * id; an endpoint failing for "a day" (compressed through the configuration) is disabled and the
 * admins e-mailed; two instances deliver each event once; a shop issues a licence with an API key
 * and hears of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createWebhookReceiver } from '../../examples/webhook-receiver';
import { Keyring } from '../../src/crypto/keyring';
import { recordFraudSignal } from '../../src/fraud/record-fraud-signal';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import { createWebhookEndpoint } from '../../src/webhooks/create-webhook-endpoint';
import { emitWebhookEvent } from '../../src/webhooks/emit-event';
import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/event-types';
import { scanDueEvents } from '../../src/webhooks/scan-due-events';
import { startWebhookWorker, type WebhookWorker } from '../../src/webhooks/webhook-worker';
import { webhookSettings } from '../../src/webhooks/webhook-settings';
import { rewrapWebhookSecrets, unwrapWebhookSecret } from '../../src/webhooks/webhook-secret';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

const FAST = { retryScheduleMs: [40, 40, 40, 40], disableAfterMs: 3_600_000, timeoutMs: 2_000, pollMs: 3_600_000, scanMs: 3_600_000 };

let h: Harness;
let worker: WebhookWorker;
let admin: string;
beforeAll(async () => {
  h = await createHarness({ webhooks: FAST, fraudSignals: 'off' });
  worker = startWebhookWorker(h.services, { scanDelayMs: 3_600_000 });
  admin = await h.login('admin');
});
afterAll(async () => { if (process.env.DUMP_LOGS) console.log(h.logs.join('')); await h.close(); });

async function register(receiver: Receiver, eventTypes: string[] = ['*']) {
  const res = await h.api.post('/v1/webhooks/endpoints').set(h.auth(admin)).send({ url: receiver.url, eventTypes }).expect(201);
  return res.body as { id: string; secret: string };
}
const unregister = (id: string) => h.api.delete(`/v1/webhooks/endpoints/${id}`).set(h.auth(admin)).expect(204);

describe('webhook events', () => {
  it('delivers every event type once, signed so that the standardwebhooks verifier accepts it, with ids and states only', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver);
    const support = await h.login('support');
    const dpo = await h.login('privacy_officer');

    const soon = new Date(Date.now() + 3 * 86_400_000);
    const { licence, key, product, holderId } = await buildLicence(h);
    // Another licence of the same holder runs out in 3 days: the scan reports it as expiring.
    const expiring = await buildLicence(h, { holderId, validUntil: soon });
    const validated = await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    expect(validated.body.device.new).toBe(true);
    await h.api.post(`/v1/licences/${licence.id}/devices/${validated.body.device.id}/actions/release`).set(h.auth(support)).send({}).expect(200);
    for (const action of ['suspend', 'reinstate', 'revoke']) {
      await h.api.post(`/v1/licences/${licence.id}/actions/${action}`).set(h.auth(support)).send({ reason: 'test' }).expect(200);
    }
    const now = new Date();
    await recordFraudSignal(h.services, {
      licenceId: licence.id, customerId: licence.customerId, holderId, signal: 'clock_drift', severity: 'low', coolDownMs: 3_600_000,
      evidence: { summary: { driftMinutes: -90 }, items: [{ key: 'drift:1', kind: 'drift', firstAt: now.toISOString(), lastAt: now.toISOString(), count: 1 }] },
    }, now);
    const alert = await h.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: licence.id } });
    await h.api.post(`/v1/fraud/alerts/${alert.id}/decision`).set(h.auth(dpo)).send({ decision: 'dismissed', reason: 'clock fixed' }).expect(200);
    // Received 25 days ago: the deadline is within the week, so the scan reports it as due soon.
    const request = await h.api.post('/v1/privacy/requests').set(h.auth(dpo))
      .send({ contactId: holderId, type: 'access', channel: 'letter', receivedAt: new Date(Date.now() - 25 * 86_400_000).toISOString() }).expect(201);
    const breach = await h.api.post('/v1/breaches').set(h.auth(dpo)).send({
      title: 'Laptop lost', description: 'A support laptop was lost', awareAt: now.toISOString(), categories: ['contact data'],
      approxSubjects: 10, approxRecords: 10, measures: 'remote wipe',
    }).expect(201);
    const settings = webhookSettings(h.config);
    await scanDueEvents(h.services, settings);
    await scanDueEvents(h.services, settings); // a second scan finds the same facts: no second event

    const mine = () => receiver.delivered();
    await until(() => new Set(mine().map((d) => d.type)).size === WEBHOOK_EVENT_TYPES.length, () => worker.runOnce());
    await worker.runOnce();
    const types = mine().map((d) => d.type);
    // Other licences' expiry and requests' deadlines may exist in this database; count ours.
    const ids = [licence.id, expiring.licence.id, request.body.id, breach.body.id, alert.id];
    const ours = mine().filter((d) => Object.values(d.data).some((v) => ids.includes(String(v))));
    expect(ours.map((d) => d.type).sort()).toEqual([...WEBHOOK_EVENT_TYPES, 'licence.issued'].sort());
    expect(new Set(types).size).toBe(WEBHOOK_EVENT_TYPES.length);

    const verifier = new Webhook(endpoint.secret);
    for (const r of receiver.received) {
      expect(() => verifier.verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature })).not.toThrow();
    }
    expect(() => verifier.verify(receiver.received[0].body.replace('}', ' }'), {
      'webhook-id': receiver.received[0].id, 'webhook-timestamp': receiver.received[0].timestamp, 'webhook-signature': receiver.received[0].signature,
    })).toThrow();
    // Ids and states: nothing a person could be recognised by.
    const holder = await h.services.prisma.contact.findUniqueOrThrow({ where: { id: holderId } });
    const all = receiver.received.map((r) => r.body).join('\n');
    expect(all).not.toMatch(/@|jdoe|LAPTOP|CONTOSO|Peeters/i);
    expect(all).not.toContain(holder.emailIndex);
    const issued = ours.find((d) => d.type === 'licence.issued' && d.data.licenceId === licence.id)!;
    expect(issued.data).toMatchObject({ licenceId: licence.id, customerId: licence.customerId, status: 'active' });
    expect(ours.find((d) => d.type === 'device.released')!.data).toMatchObject({ licenceId: licence.id, deviceId: validated.body.device.id, releasedBy: 'staff' });
    expect(ours.find((d) => d.type === 'licence.suspended')!.data).toMatchObject({ status: 'suspended', previousStatus: 'active' });
    expect(ours.find((d) => d.type === 'licence.expiring')!.data).toMatchObject({ licenceId: expiring.licence.id, validUntil: soon.toISOString() });

    await unregister(endpoint.id);
    await receiver.close();
  });

  it('retries a receiver that answers 500 three times and delivers on the 4th attempt with the same id', async () => {
    const receiver = await startReceiver((n) => (n <= 3 ? 500 : 200));
    const endpoint = await register(receiver, ['breach.recorded']);
    const dpo = await h.login('privacy_officer');
    await h.api.post('/v1/breaches').set(h.auth(dpo)).send({
      title: 'Mail misdirected', description: 'x', awareAt: new Date().toISOString(), categories: ['contact data'], approxSubjects: 1, approxRecords: 1, measures: 'recalled',
    }).expect(201);
    await until(() => receiver.delivered().length === 1, () => worker.runOnce());
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);

    const log = await h.api.get(`/v1/webhooks/endpoints/${endpoint.id}/deliveries`).set(h.auth(admin)).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ eventId: receiver.received[0].id, eventType: 'breach.recorded', status: 'delivered', attempts: 4, lastStatusCode: 200, nextAttemptAt: null });
    const metrics = await h.api.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/nomina_webhook_deliveries_total\{outcome="retrying"\} [3-9]/);
    expect(metrics.text).toContain('nomina_webhook_queue_age_seconds');

    // Replay: the same event id again, a fresh schedule.
    const replayed = await h.api.post(`/v1/webhooks/endpoints/${endpoint.id}/deliveries/${log.body.items[0].id}/actions/replay`).set(h.auth(admin)).expect(200);
    expect(replayed.body).toMatchObject({ status: 'pending', attempts: 0 });
    await until(() => receiver.delivered().length === 2, () => worker.runOnce());
    expect(receiver.delivered()[1].id).toBe(receiver.received[0].id);
    await h.api.post(`/v1/webhooks/endpoints/${endpoint.id}/deliveries/${log.body.items[0].id}/actions/replay`).set(h.auth(admin)).expect(200);
    const again = await h.api.post(`/v1/webhooks/endpoints/${endpoint.id}/deliveries/${log.body.items[0].id}/actions/replay`).set(h.auth(admin)).expect(409);
    expect(again.body.code).toBe('CONFLICT');
    await worker.runOnce();
    await unregister(endpoint.id);
    await receiver.close();
  });

  it('refuses bad endpoints with pointers and plain http in production', async () => {
    const bad = await h.api.post('/v1/webhooks/endpoints').set(h.auth(admin)).send({ url: 'not a url', eventTypes: ['licence.stolen'] }).expect(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/eventTypes/0', '/url']);
    const production = { ...h.services, config: { ...h.config, env: 'production' as const } };
    await expect(createWebhookEndpoint(production, { url: 'http://shop.example/hooks', eventTypes: ['*'] }, 'x', { type: 'system' }, 'r')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const res = await h.api.post('/v1/webhooks/endpoints').set(h.auth(admin)).send({ url: 'https://shop.example/hooks', eventTypes: ['licence.issued'] }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await h.api.get('/v1/webhooks/endpoints').set(h.auth(admin)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(res.body.secret.slice(6));
    await unregister(res.body.id);
  });
});

describe('a shop with an API key', () => {
  it('creates a customer and a holder, issues a licence with its key and hears licence.issued', async () => {
    const { policy } = await buildLicence(h);
    await worker.runOnce(); // that licence's event goes out before the endpoint exists
    const receiver = await startReceiver();
    const endpoint = await register(receiver, ['licence.issued']);
    const created = await h.api.post('/v1/api-keys').set(h.auth(admin))
      .send({ name: 'web shop', scopes: ['customers:write', 'catalogue:read', 'licences:write'] }).expect(201);
    const shop = { Authorization: `Bearer ${created.body.key}` };
    await h.api.get(`/v1/policies/${policy.id}`).set(shop).expect(200);
    const customer = await h.api.post('/v1/customers').set(shop).send({ name: 'Gemeente Shop', country: 'BE', agreementStartsAt: new Date().toISOString() }).expect(201);
    const contact = await h.api.post('/v1/contacts').set(shop)
      .send({ customerId: customer.body.id, firstName: 'An', lastName: 'Janssens', email: 'an.janssens@shop.test', roles: ['licence_holder'] }).expect(201);
    const issued = await h.api.post('/v1/licences').set(shop).send({ policyId: policy.id, holderId: contact.body.id }).expect(201);
    expect(issued.body.key).toBeTruthy();
    // Its key cannot read what it was not given.
    await h.api.get('/v1/licences').set(shop).expect(403);

    await until(() => receiver.delivered().length === 1, () => worker.runOnce());
    expect(receiver.delivered()[0]).toMatchObject({ type: 'licence.issued', data: { licenceId: issued.body.id, customerId: customer.body.id } });
    const entry = await h.services.prisma.auditEntry.findFirstOrThrow({ where: { action: 'licence.issue', resourceId: issued.body.id } });
    expect(entry).toMatchObject({ actorType: 'api_key', actorId: created.body.id });
    await unregister(endpoint.id);
    await receiver.close();
  });
});

describe('an endpoint failing for a day', () => {
  it('is disabled, the admins are e-mailed, its retries end as failed, and re-enabling resumes the rest', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nomina-wh-'));
    const h2 = await createHarness({ dataDir, webhooks: { ...FAST, retryScheduleMs: [30, 30], disableAfterMs: 2_500 } });
    try {
      const w2 = startWebhookWorker(h2.services, { scanDelayMs: 3_600_000 });
      let up = false;
      const receiver = await startReceiver(() => (up ? 200 : 503));
      const adminToken = await h2.login('admin');
      const endpoint = (await h2.api.post('/v1/webhooks/endpoints').set(h2.auth(adminToken)).send({ url: receiver.url, eventTypes: ['licence.issued'] }).expect(201)).body;
      await buildLicence(h2);
      const state = () => h2.services.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      const deliveries = () => h2.services.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      await until(async () => { const ds = await deliveries(); return ds.length > 0 && ds.every((d) => d.status === 'failed'); }, () => w2.runOnce());
      expect((await deliveries())[0].attempts).toBe(3); // the first, then the two of the schedule
      // A second event keeps failing past disableAfterMs: the endpoint is disabled.
      expect((await state()).disabledAt).toBeNull();
      await new Promise((r) => setTimeout(r, 2_600));
      await buildLicence(h2);
      await until(async () => (await state()).disabledAt !== null, () => w2.runOnce());
      expect((await state()).disabledReason).toMatch(/failed/);
      const mails = async () => Promise.all((await readdir(path.join(dataDir, 'outbox')).catch(() => [])).map((f) => readFile(path.join(dataDir, 'outbox', f), 'utf8')));
      await until(async () => (await mails()).some((m) => m.includes(endpoint.id)), async () => undefined, 5_000);
      const admin2 = await h2.staffUser('admin');
      expect((await mails()).find((m) => m.includes(endpoint.id))).toContain(`To: ${admin2.email}`);

      // While disabled: nothing is sent, events wait for it.
      const sent = receiver.received.length;
      await buildLicence(h2);
      await w2.runOnce();
      await w2.runOnce();
      expect(receiver.received.length).toBe(sent);
      up = true;
      await h2.api.patch(`/v1/webhooks/endpoints/${endpoint.id}`).set(h2.auth(adminToken)).send({ enabled: true }).expect(200);
      // The event that tripped the switch and the one that came while disabled both arrive.
      await until(async () => (await deliveries()).filter((d) => d.status === 'delivered').length === 2, () => w2.runOnce());
      expect((await state()).failingSince).toBeNull();
      await receiver.close();
    } finally {
      await h2.close();
    }
  });
});

describe('the receiver example (examples/webhook-receiver.ts)', () => {
  it('accepts a real delivery once and refuses a forged one', async () => {
    const events: { id: string; type: string }[] = [];
    const server = createWebhookReceiver('whsec_' + Buffer.alloc(32, 1).toString('base64'), () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/`;
    server.close();
    const endpoint = await h.api.post('/v1/webhooks/endpoints').set(h.auth(admin)).send({ url, eventTypes: ['breach.recorded'] }).expect(201);
    const real = createWebhookReceiver(endpoint.body.secret, (e) => events.push(e));
    await new Promise<void>((resolve) => real.listen(Number(new URL(url).port), '127.0.0.1', resolve));
    try {
      const dpo = await h.login('privacy_officer');
      await h.api.post('/v1/breaches').set(h.auth(dpo)).send({
        title: 'Example', description: 'x', awareAt: new Date().toISOString(), categories: ['contact data'], approxSubjects: 1, approxRecords: 1, measures: 'none',
      }).expect(201);
      await until(() => events.length === 1, () => worker.runOnce());
      expect(events[0].type).toBe('breach.recorded');
      const forged = await fetch(url, { method: 'POST', body: '{"type":"licence.revoked"}', headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' } });
      expect(forged.status).toBe(401);
      expect(events).toHaveLength(1);
    } finally {
      real.closeAllConnections();
      await new Promise((resolve) => real.close(resolve));
      await unregister(endpoint.body.id);
    }
  });
});

describe('two instances on one database', () => {
  it('deliver each event exactly once', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver, ['device.activated']);
    const config = { ...h.config, webhooks: { ...FAST, pollMs: 10 } };
    const db2 = await openDatabase({ databaseUrl: h.databaseUrl, dataDir: config.dataDir, poolSize: 5 });
    const one = buildServices(config, h.db, createLogger('silent'));
    const two = buildServices(config, db2, createLogger('silent'));
    const workers = [startWebhookWorker(one, { scanDelayMs: 3_600_000 }), startWebhookWorker(two, { scanDelayMs: 3_600_000 })];
    try {
      const { licence } = await buildLicence(h);
      const count = 40;
      for (let i = 0; i < count; i++) {
        await h.services.prisma.$transaction((tx) => emitWebhookEvent(tx, 'device.activated', { licenceId: licence.id, deviceId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }, new Date()));
      }
      await until(() => new Set(receiver.received.map((r) => r.id)).size === count, async () => undefined, 15_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received).toHaveLength(count);
      const byInstance = await h.services.prisma.webhookDelivery.groupBy({ by: ['status'], where: { endpointId: endpoint.id }, _count: true });
      expect(byInstance).toEqual([{ status: 'delivered', _count: count }]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await one.close();
      await two.close();
      await db2.close();
    }
    await unregister(endpoint.id);
    await receiver.close();
  });
});

describe('master-key rotation', () => {
  it('re-wraps endpoint secrets with the new master key; the old key can then go', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver, ['breach.recorded']);
    const fresh = { id: 'k2', key: randomBytes(32) };
    const during = new Keyring([fresh, ...h.config.secrets.masterKeys]);
    expect(await rewrapWebhookSecrets(h.services.prisma, during)).toBeGreaterThanOrEqual(1);
    const row = await h.services.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secretKeyId).toBe('k2');
    const after = new Keyring([fresh]);
    expect('whsec_' + unwrapWebhookSecret(after, row).toString('base64')).toBe(endpoint.secret);
    await unregister(endpoint.id);
    await receiver.close();
  });
});
