import { normaliseKey } from '../../client-sdk/src/key-format';
import { keyDigest } from '../../src/licences/licence-keys';
import { buildContact, buildCustomer, buildLicence, buildPolicy } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
let support: string;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
  admin = await h.login('admin');
});
afterAll(() => h.close());

const issue = (body: Record<string, unknown>, token = support) => h.api.post('/v1/licences').set(h.auth(token)).send(body);

describe('POST /v1/licences', () => {
  it('issues a licence and shows its key once; only the digest and the last 4 are stored', async () => {
    const policy = await buildPolicy(h);
    const holder = await buildContact(h);
    const res = await issue({ policyId: policy.id, holderId: holder.id, customerId: holder.customerId }).expect(201);
    const product = await h.services.prisma.product.findUniqueOrThrow({ where: { id: policy.productId } });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ productCode: product.code, policyId: policy.id, customerId: holder.customerId, status: 'active', entitlements: ['core'], holder: { id: holder.id } });
    const parsed = normaliseKey(res.body.key);
    expect(parsed.ok && parsed.prefix).toBe(product.code);
    expect(res.body.keyLast4).toBe(res.body.key.slice(-4));

    const stored = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(stored.keyDigest).toBe(keyDigest(h.config.secrets.keyPepper, res.body.key));
    const again = await h.api.get(`/v1/licences/${res.body.id}`).set(h.auth(admin)).expect(200);
    expect(JSON.stringify(again.body)).not.toContain(res.body.key);
    expect(again.body.key.startsWith(`${product.code}-`) && again.body.key.endsWith(res.body.keyLast4)).toBe(true);

    expect(await h.services.prisma.billingRecord.count({ where: { licenceId: res.body.id } })).toBe(1);
    const audit = await h.audit.findFirst({ where: { action: 'licence.issue', resourceId: res.body.id } });
    expect(audit).toMatchObject({ actorType: 'staff', subjectId: holder.id });
  });

  it('derives validUntil from the policy duration unless given', async () => {
    const policy = await h.services.prisma.policy.create({ data: { productId: (await buildPolicy(h)).productId, name: 'yearly', durationDays: 365, entitlements: [] } });
    const holder = await buildContact(h);
    const validFrom = '2026-01-01T00:00:00.000Z';
    const res = await issue({ policyId: policy.id, holderId: holder.id, validFrom }).expect(201);
    expect(res.body.validUntil).toBe('2027-01-01T00:00:00.000Z');
    const bad = await issue({ policyId: policy.id, holderId: holder.id, validFrom, validUntil: '2025-12-31T00:00:00.000Z' }).expect(400);
    expect(bad.body.errors).toEqual([{ pointer: '/validUntil', detail: 'must be after validFrom' }]);
  });

  it("answers 404 for another customer's contact, as for an unknown one", async () => {
    const policy = await buildPolicy(h);
    const holder = await buildContact(h);
    const otherCustomer = await buildCustomer(h);
    await issue({ policyId: policy.id, holderId: holder.id, customerId: otherCustomer.id }).expect(404);
    await issue({ policyId: policy.id, holderId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await issue({ policyId: '00000000-0000-4000-8000-000000000000', holderId: holder.id }).expect(404);
    expect(await h.services.prisma.licence.count({ where: { holderId: holder.id } })).toBe(0);
  });

  it('refuses a contact who is not a licence holder', async () => {
    const policy = await buildPolicy(h);
    const billing = await buildContact(h, { roles: ['billing'] });
    expect((await issue({ policyId: policy.id, holderId: billing.id }).expect(422)).body.code).toBe('UNPROCESSABLE');
  });
});

describe('GET /v1/licences (list and search)', () => {
  it('finds a licence by key as typed, holder e-mail, organisation, PC name and NT account', async () => {
    const customer = await buildCustomer(h, { name: `Gemeente Zonnedorp ${Date.now()}` });
    const email = `Els.${Date.now()}@Zonnedorp.test`;
    const holder = await buildContact(h, { customerId: customer.id, email });
    const { licence, key, product } = await buildLicence(h, { holderId: holder.id });
    await validate(h, validateBody(key, product.code, aDevice({ pcName: 'ZD-PC-0042', ntDomain: 'ZONNEDORP', ntUsername: 'els.peeters' }))).expect(200);
    await buildLicence(h); // noise

    const queries = [key.toLowerCase().replace(/-/g, ''), email.toLowerCase(), 'zonnedorp', 'zd-pc-0042', 'ZONNEDORP\\els.peeters', 'zonnedorp\\ELS.PEETERS'];
    for (const q of queries) {
      const res = await h.api.get('/v1/licences').query({ q }).set(h.auth(support)).expect(200);
      expect({ q, ids: res.body.items.map((i: { id: string }) => i.id) }).toEqual({ q, ids: [licence.id] });
    }
    expect((await h.api.get('/v1/licences').query({ q: 'nobody@nowhere.test' }).set(h.auth(support)).expect(200)).body.items).toEqual([]);
  });

  it('masks holders for support in lists, even with a purpose, and records each holder shown', async () => {
    const holder = await buildContact(h, { firstName: 'Annelies', lastName: 'Vermeulen' });
    const { licence } = await buildLicence(h, { holderId: holder.id });
    const res = await h.api.get('/v1/licences').query({ holderId: holder.id }).set(h.auth(support)).set('X-Purpose', 'ticket 1').expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ id: licence.id, view: 'masked', holder: { firstName: 'A•••', lastName: 'V•••', email: expect.stringMatching(/^j•••@gemeente\.test$/) } });
    const audit = await h.audit.findFirst({ where: { action: 'licence.list', subjectId: holder.id } });
    expect(audit).toMatchObject({ actorId: (await h.staffUser('support')).id, purpose: 'ticket 1' });
    const full = await h.api.get('/v1/licences').query({ holderId: holder.id }).set(h.auth(admin)).expect(200);
    expect(full.body.items[0].holder).toMatchObject({ firstName: 'Annelies', lastName: 'Vermeulen' });
  });
});

describe('GET /v1/licences/:id and its devices', () => {
  it('shows support personal data only when it opens one licence with a purpose, and audits the purpose', async () => {
    const holder = await buildContact(h, { firstName: 'Pieter' });
    const { licence, key, product } = await buildLicence(h, { holderId: holder.id });
    await validate(h, validateBody(key, product.code, aDevice({ pcName: 'PIETER-PC', ntDomain: 'ACME', ntUsername: 'pieter', macAddresses: ['00:1A:2B:3C:4D:5E'] }))).expect(200);

    const masked = await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(support)).expect(200);
    expect(masked.body).toMatchObject({ view: 'masked', holder: { firstName: 'P•••' }, users: [{ ntAccount: 'ACME\\p•••' }] });
    const maskedDevices = await h.api.get(`/v1/licences/${licence.id}/devices`).set(h.auth(support)).expect(200);
    expect(maskedDevices.body.items).toMatchObject([{ pcName: 'P•••', lastNtAccount: 'ACME\\p•••', macAddresses: [{ mac: '00:1A:2B:••:••:••' }], view: 'masked' }]);

    const full = await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(support)).set('X-Purpose', 'ticket 4711: cannot start').expect(200);
    expect(full.body).toMatchObject({ view: 'full', holder: { firstName: 'Pieter' }, users: [{ ntAccount: 'ACME\\pieter' }] });
    const fullDevices = await h.api.get(`/v1/licences/${licence.id}/devices`).set(h.auth(support)).set('X-Purpose', 'ticket 4711: cannot start').expect(200);
    expect(fullDevices.body.items).toMatchObject([{ pcName: 'PIETER-PC', lastNtAccount: 'ACME\\pieter', macAddresses: [{ mac: '00:1A:2B:3C:4D:5E' }], view: 'full' }]);

    const entries = await h.audit.findMany({ where: { subjectId: holder.id, action: { in: ['licence.read', 'licence.devices.read'] } }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.action, e.purpose])).toEqual([
      ['licence.read', null], ['licence.devices.read', null], ['licence.read', 'ticket 4711: cannot start'], ['licence.devices.read', 'ticket 4711: cannot start'],
    ]);
  });

  it('answers 404 for an unknown licence', async () => {
    await h.api.get('/v1/licences/00000000-0000-4000-8000-000000000000').set(h.auth(support)).expect(404);
    await h.api.get('/v1/licences/00000000-0000-4000-8000-000000000000/devices').set(h.auth(support)).expect(404);
  });
});

describe('licence actions', () => {
  it('suspends, reinstates and revokes, each audited with its reason; revocation is final', async () => {
    const { licence, holderId } = await buildLicence(h);
    const act = (action: string, body: Record<string, unknown> = {}) => h.api.post(`/v1/licences/${licence.id}/actions/${action}`).set(h.auth(support)).send(body);
    expect((await act('suspend', { reason: 'unpaid invoice' }).expect(200)).body).toMatchObject({ status: 'suspended', statusReason: 'unpaid invoice' });
    expect((await act('suspend').expect(200)).body).toMatchObject({ status: 'suspended', statusReason: 'unpaid invoice' });
    expect((await act('reinstate').expect(200)).body).toMatchObject({ status: 'active', statusReason: null });
    expect((await act('revoke', { reason: 'contract ended' }).expect(200)).body.status).toBe('revoked');
    expect((await act('reinstate').expect(409)).body.code).toBe('CONFLICT');
    expect((await act('rotate-key').expect(409)).body.code).toBe('CONFLICT');
    const entries = await h.audit.findMany({ where: { resourceId: licence.id, action: { startsWith: 'licence.' } }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['licence.issue', 'licence.suspend', 'licence.suspend', 'licence.reinstate', 'licence.revoke']);
    expect(entries.every((e) => e.subjectId === holderId)).toBe(true);
  });

  it('rotates the key: the old one answers NOT_FOUND at once, the new one keeps the devices', async () => {
    const { licence, key, product } = await buildLicence(h);
    const pc = aDevice();
    const first = await validate(h, validateBody(key, product.code, pc)).expect(200);
    const rotated = await h.api.post(`/v1/licences/${licence.id}/actions/rotate-key`).set(h.auth(support)).send({ reason: 'key posted on a forum' }).expect(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.body.key).not.toBe(key);
    expect((await validate(h, validateBody(key, product.code, pc))).body.code).toBe('NOT_FOUND');
    const next = await validate(h, validateBody(rotated.body.key, product.code, pc)).expect(200);
    expect(next.body).toMatchObject({ code: 'VALID', device: { id: first.body.device.id, new: false } });
  });

  it('lets only support and admin act; privacy officers read', async () => {
    const { licence } = await buildLicence(h);
    const officer = await h.login('privacy_officer');
    await h.api.post(`/v1/licences/${licence.id}/actions/suspend`).set(h.auth(officer)).send({}).expect(403);
    await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(officer)).expect(200);
    await h.api.post('/v1/licences').set(h.auth(await h.login('auditor'))).send({}).expect(403);
  });
});
