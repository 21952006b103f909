import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { generateKey } from '../../client-sdk/src/key-format';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, randomMac, validate, validateBody, verifyWithJwks } from './validate-helpers';

let h: Harness;
let support: string;
beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
});
afterAll(() => h.close());

const DAY = 86_400_000;

describe('POST /v1/validate', () => {
  it('answers with the security headers that apply to a JSON answer, without the browser-document ones', async () => {
    const { key, product } = await buildLicence(h);
    const res = await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains', 'cross-origin-resource-policy': 'same-origin', 'cache-control': 'no-store',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Every other route keeps helmet's full set.
    expect((await h.api.get('/.well-known/jwks.json').expect(200)).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('activates a first device and answers VALID with a token that verifies against the JWKS', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { offlineGraceHours: 48, entitlements: ['core', 'export.pdf'] } });
    const body = validateBody(key, product.code, aDevice());
    const res = await validate(h, body).expect(200);
    expect(res.body).toMatchObject({ valid: true, code: 'VALID', warnings: [], telemetry: 'on', nonce: body.nonce, device: { new: true } });
    expect(res.body.licence).toEqual({ id: licence.id, status: 'active', validUntil: null, entitlements: ['core', 'export.pdf'] });
    expect(res.headers['cache-control']).toBe('no-store');

    const { payload, protectedHeader } = await verifyWithJwks(h, res.body.token, product.code);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(typeof protectedHeader.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: 'nomina', aud: product.code, sub: licence.id, lic: licence.id, dev: res.body.device.id, code: 'VALID', valid: true,
      ent: ['core', 'export.pdf'], vu: null, tel: 'on', nonce: body.nonce,
    });
    expect(payload.exp! - payload.iat!).toBe(48 * 3600);

    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id } })).toBe(1);
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(1);
    const events = await h.services.prisma.validationEvent.findMany({ where: { licenceId: licence.id } });
    expect(events).toMatchObject([{ code: 'VALID', deviceId: res.body.device.id, appVersion: '5.2.1', osVersion: 'Windows 11 23H2' }]);
    expect(events[0].networkHash).toEqual(expect.any(String));
  });

  it('is idempotent for a known device: same device, not new, one row, one event per start', async () => {
    const { key, product, licence } = await buildLicence(h);
    const device = aDevice();
    const first = await validate(h, validateBody(key, product.code, device)).expect(200);
    const second = await validate(h, validateBody(key, product.code, device)).expect(200);
    expect(second.body.device).toEqual({ id: first.body.device.id, new: false });
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id } })).toBe(1);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: licence.id } })).toBe(2);
  });

  it('answers no verdict for a known device when its event cannot be written, and the next start is valid again', async () => {
    // The hot path writes the event while it signs the token: the verdict must still wait for the write.
    const { key, product, licence } = await buildLicence(h);
    const device = aDevice();
    await validate(h, validateBody(key, product.code, device)).expect(200);
    await h.services.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_marked_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."appVersion" = 'event-write-fails' THEN RAISE EXCEPTION 'event refused by the test'; END IF; RETURN NEW; END $$`);
    await h.services.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_marked_event BEFORE INSERT ON validation_events FOR EACH ROW EXECUTE FUNCTION refuse_marked_event()`);
    try {
      const refused = await validate(h, validateBody(key, product.code, device, { app: { version: 'event-write-fails', os: 'Windows 11' } }));
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(refused.body)).not.toMatch(/VALID|eyJ/);
      expect(await h.services.prisma.validationEvent.count({ where: { licenceId: licence.id } })).toBe(1);
      await validate(h, validateBody(key, product.code, device)).expect(200);
      expect(await h.services.prisma.validationEvent.count({ where: { licenceId: licence.id } })).toBe(2);
    } finally {
      await h.services.prisma.$executeRawUnsafe('DROP TRIGGER refuse_marked_event ON validation_events');
      await h.services.prisma.$executeRawUnsafe('DROP FUNCTION refuse_marked_event()');
    }
  });

  it('accepts the key as a person types it: lower case, no dashes, O for 0 and I for 1', async () => {
    const { key, product } = await buildLicence(h);
    const typed = key.slice(product.code.length).replace(/-/g, '').replace(/0/g, 'O').replace(/1/g, 'I').toLowerCase();
    const res = await validate(h, validateBody(`${product.code.toLowerCase()} ${typed}`, product.code, aDevice())).expect(200);
    expect(res.body.code).toBe('VALID');
  });

  it.each([
    ['an unknown well-formed key', (key: string) => generateKey(key.split('-')[0], (n) => randomBytes(n))],
    ['a string that is not a key', () => 'hello world'],
    ['an empty key', () => ''],
  ])('answers NOT_FOUND for %s, with no token and the attempt recorded', async (_name, mutate) => {
    const { key, product } = await buildLicence(h);
    const before = await h.services.prisma.validationEvent.count({ where: { licenceId: null } });
    const res = await validate(h, validateBody(mutate(key), product.code, aDevice())).expect(200);
    expect(res.body).toMatchObject({ valid: false, code: 'NOT_FOUND', licence: null, device: null, token: null, telemetry: 'off', warnings: [] });
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: null } })).toBe(before + 1);
  });

  it('answers SUSPENDED and REVOKED after staff actions, with a short-lived signed refusal; reinstating restores VALID', async () => {
    const { key, product, licence } = await buildLicence(h);
    const device = aDevice();
    await validate(h, validateBody(key, product.code, device)).expect(200);
    await h.api.post(`/v1/licences/${licence.id}/actions/suspend`).set(h.auth(support)).send({ reason: 'ticket 42' }).expect(200);
    const suspended = await validate(h, validateBody(key, product.code, device)).expect(200);
    expect(suspended.body).toMatchObject({ valid: false, code: 'SUSPENDED', warnings: [] });
    const { payload } = await verifyWithJwks(h, suspended.body.token, product.code);
    expect(payload).toMatchObject({ code: 'SUSPENDED', valid: false, ent: [] });
    expect(payload.exp! - payload.iat!).toBe(300);

    await h.api.post(`/v1/licences/${licence.id}/actions/reinstate`).set(h.auth(support)).send({}).expect(200);
    expect((await validate(h, validateBody(key, product.code, device))).body.code).toBe('VALID');
    await h.api.post(`/v1/licences/${licence.id}/actions/revoke`).set(h.auth(support)).send({ reason: 'contract ended' }).expect(200);
    expect((await validate(h, validateBody(key, product.code, device))).body.code).toBe('REVOKED');
  });

  it('answers NOT_YET_VALID before validFrom and EXPIRED from validUntil on', async () => {
    const future = await buildLicence(h, { validFrom: new Date(Date.now() + 2 * DAY) });
    expect((await validate(h, validateBody(future.key, future.product.code, aDevice()))).body.code).toBe('NOT_YET_VALID');
    const past = await buildLicence(h, { validFrom: new Date(Date.now() - 30 * DAY), validUntil: new Date(Date.now() - DAY) });
    const res = await validate(h, validateBody(past.key, past.product.code, aDevice()));
    expect(res.body).toMatchObject({ code: 'EXPIRED', valid: false });
    expect(await h.services.prisma.device.count({ where: { licenceId: past.licence.id } })).toBe(0);
  });

  it('answers PRODUCT_MISMATCH when the key belongs to another product, signed for the product asked about', async () => {
    const { key } = await buildLicence(h);
    const other = await buildLicence(h);
    const res = await validate(h, validateBody(key, other.product.code, aDevice())).expect(200);
    expect(res.body.code).toBe('PRODUCT_MISMATCH');
    const { payload } = await verifyWithJwks(h, res.body.token, other.product.code);
    expect(payload.aud).toBe(other.product.code);
  });

  it('binds the first NT account and answers USER_MISMATCH for another one once maxUsers is reached', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxUsers: 1 } });
    const pc = aDevice({ ntUsername: 'jdoe' });
    await validate(h, validateBody(key, product.code, pc)).expect(200);
    const stranger = await validate(h, validateBody(key, product.code, { ...pc, ntUsername: 'mallory' })).expect(200);
    expect(stranger.body).toMatchObject({ valid: false, code: 'USER_MISMATCH' });
    // Windows account names compare case-insensitively.
    expect((await validate(h, validateBody(key, product.code, { ...pc, ntUsername: 'JDOE', ntDomain: 'contoso' }))).body.code).toBe('VALID');
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(1);
  });

  it('binds accounts up to maxUsers', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxUsers: 2 } });
    const pc = aDevice();
    expect((await validate(h, validateBody(key, product.code, { ...pc, ntUsername: 'anna' }))).body.code).toBe('VALID');
    expect((await validate(h, validateBody(key, product.code, { ...pc, ntUsername: 'bert' }))).body.code).toBe('VALID');
    expect((await validate(h, validateBody(key, product.code, { ...pc, ntUsername: 'carl' }))).body.code).toBe('USER_MISMATCH');
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(2);
  });

  it('answers TOO_MANY_MACHINES when a third PC tries a two-machine licence, and takes no seat', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 2 } });
    await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    const third = await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    expect(third.body).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES', device: null });
    const { payload } = await verifyWithJwks(h, third.body.token, product.code);
    expect(payload.dev).toBeNull();
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id } })).toBe(2);
  });

  it('keeps the same user on two PCs as two devices of one bound account', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 2, maxUsers: 1 } });
    const office = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'DESKTOP-OFFICE' }))).expect(200);
    const home = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'LAPTOP-HOME' }))).expect(200);
    expect([office.body.code, home.body.code]).toEqual(['VALID', 'VALID']);
    expect(office.body.device.id).not.toBe(home.body.device.id);
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(1);
  });

  it('recognises a laptop on a docking station (an extra MAC) as the same device and adds the MAC', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 1 } });
    const laptop = aDevice({ macAddresses: [randomMac()] });
    const first = await validate(h, validateBody(key, product.code, laptop)).expect(200);
    const docked = await validate(h, validateBody(key, product.code, { ...laptop, macAddresses: [...laptop.macAddresses, randomMac()] })).expect(200);
    expect(docked.body).toMatchObject({ code: 'VALID', device: { id: first.body.device.id, new: false } });
    expect(await h.services.prisma.deviceMac.count({ where: { deviceId: first.body.device.id } })).toBe(2);
    // Undocked again: still the same device, the MAC set keeps both.
    const undocked = await validate(h, validateBody(key, product.code, laptop)).expect(200);
    expect(undocked.body.device).toEqual({ id: first.body.device.id, new: false });
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id } })).toBe(1);
  });

  it('recognises a PC that IT renamed by a shared MAC, and stores the new name', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 1 } });
    const pc = aDevice({ pcName: 'PC-OLDNAME' });
    const first = await validate(h, validateBody(key, product.code, pc)).expect(200);
    const renamed = await validate(h, validateBody(key, product.code, { ...pc, pcName: 'PC-NEWNAME' })).expect(200);
    expect(renamed.body).toMatchObject({ code: 'VALID', device: { id: first.body.device.id, new: false } });
    const devices = await h.api.get(`/v1/licences/${licence.id}/devices`).set(h.auth(support)).set('X-Purpose', 'ticket 7').expect(200);
    expect(devices.body.items).toMatchObject([{ id: first.body.device.id, pcName: 'PC-NEWNAME' }]);
    // The old name alone (new MACs) no longer matches this device.
    const other = await validate(h, validateBody(key, product.code, { ...pc, macAddresses: [randomMac()] })).expect(200);
    expect(other.body.code).toBe('TOO_MANY_MACHINES');
  });

  it('matches a PC name case-insensitively and MACs in any notation', async () => {
    const { key, product } = await buildLicence(h, { policy: { maxMachines: 1 } });
    const first = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'Laptop-Case', macAddresses: ['00:1A:2B:3C:4D:5E'] }))).expect(200);
    for (const mac of ['00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e', '001A2B3C4D5E']) {
      const res = await validate(h, validateBody(key, product.code, aDevice({ pcName: 'LAPTOP-CASE', macAddresses: [mac] }))).expect(200);
      expect(res.body.device).toEqual({ id: first.body.device.id, new: false });
    }
  });

  it('says telemetry off when the policy collects none, or the holder objected or is restricted', async () => {
    const off = await buildLicence(h, { policy: { telemetry: 'off' } });
    expect((await validate(h, validateBody(off.key, off.product.code, aDevice()))).body.telemetry).toBe('off');
    const objected = await buildLicence(h);
    await h.services.prisma.contact.update({ where: { id: objected.holderId }, data: { telemetryObjectedAt: new Date() } });
    const res = await validate(h, validateBody(objected.key, objected.product.code, aDevice()));
    expect(res.body.telemetry).toBe('off');
    expect((await verifyWithJwks(h, res.body.token, objected.product.code)).payload.tel).toBe('off');
    const restricted = await buildLicence(h);
    await h.services.prisma.contact.update({ where: { id: restricted.holderId }, data: { restrictedAt: new Date() } });
    expect((await validate(h, validateBody(restricted.key, restricted.product.code, aDevice()))).body.telemetry).toBe('off');
  });

  it('warns EXPIRING_SOON within expiringSoonDays, and caps the token at validUntil', async () => {
    const validUntil = new Date(Date.now() + 5 * DAY);
    const { key, product } = await buildLicence(h, { validUntil, policy: { expiringSoonDays: 14, offlineGraceHours: 24 * 30 } });
    const res = await validate(h, validateBody(key, product.code, aDevice())).expect(200);
    expect(res.body).toMatchObject({ valid: true, warnings: ['EXPIRING_SOON'] });
    const { payload } = await verifyWithJwks(h, res.body.token, product.code);
    expect(payload.exp).toBe(Math.floor(validUntil.getTime() / 1000));
    expect(payload.vu).toBe(validUntil.toISOString());
  });

  it('warns UNDER_REVIEW while a fraud alert on the licence is open, and stays valid', async () => {
    const { key, product, licence } = await buildLicence(h);
    const device = aDevice();
    await validate(h, validateBody(key, product.code, device)).expect(200);
    const alert = await h.services.prisma.fraudAlert.create({
      data: { licenceId: licence.id, customerId: licence.customerId, signal: 'device_fanout', severity: 'medium', openKey: `${licence.id}:device_fanout`, evidenceEnc: 'v1.x' },
    });
    const res = await validate(h, validateBody(key, product.code, device)).expect(200);
    expect(res.body).toMatchObject({ valid: true, code: 'VALID', warnings: ['UNDER_REVIEW'] });
    await h.services.prisma.fraudAlert.update({ where: { id: alert.id }, data: { status: 'dismissed', openKey: null } });
    expect((await validate(h, validateBody(key, product.code, device))).body.warnings).toEqual([]);
  });

  it('counts validations by code, their duration and activations in /metrics', async () => {
    const { key, product } = await buildLicence(h);
    await validate(h, validateBody(key, product.code, aDevice()));
    await validate(h, validateBody('nope', product.code, aDevice()));
    const metrics = (await h.api.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/nomina_validations_total\{code="VALID"\} \d+/);
    expect(metrics).toMatch(/nomina_validations_total\{code="NOT_FOUND"\} \d+/);
    expect(metrics).toMatch(/nomina_validation_duration_seconds_bucket\{le="0.01",code="VALID"\} \d+/);
    expect(metrics).toMatch(/nomina_activations_total \d+/);
  });

  it('names its signing key in the token header', async () => {
    const { key, product } = await buildLicence(h);
    const res = await validate(h, validateBody(key, product.code, aDevice()));
    const jwks = (await h.api.get('/.well-known/jwks.json')).body as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(res.body.token).kid);
  });
});
