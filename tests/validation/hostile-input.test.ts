import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, randomMac, validate, validateBody } from './validate-helpers';

let h: Harness;
let licence: Awaited<ReturnType<typeof buildLicence>>;
beforeAll(async () => {
  h = await createHarness();
  licence = await buildLicence(h, { policy: { maxMachines: 50, maxUsers: 50 } });
});
afterAll(() => h.close());

const body = (device: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  validateBody(licence.key, licence.product.code, { ...aDevice(), ...device } as never, extra);

async function expectRefused(payload: unknown, pointer: string, status = 400) {
  const res = await validate(h, payload as Record<string, unknown>);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (status === 400) expect((res.body.errors as { pointer: string }[]).map((e) => e.pointer)).toContain(pointer);
  return res;
}

describe('POST /v1/validate with malformed and hostile input', () => {
  afterEach(async () => {
    // Whatever was refused left nothing behind.
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id } })).toBe(0);
  });

  it.each([
    ['not hex', 'ZZ:ZZ:ZZ:ZZ:ZZ:ZZ'], ['too short', '00:1A:2B:3C:4D'], ['mixed separators', '00:1A-2B:3C-4D:5E'],
    ['all zeros', '00:00:00:00:00:00'], ['broadcast', 'FF:FF:FF:FF:FF:FF'], ['multicast', '01:00:5E:00:00:01'], ['empty', ''],
    ['SQL', "'; DROP TABLE devices; --"],
  ])('refuses a MAC that is %s with a pointer to it', async (_name, mac) => {
    await expectRefused(body({ macAddresses: [randomMac(), mac] }), '/device/macAddresses/1');
  });

  it('refuses more MAC addresses than a machine has', async () => {
    await expectRefused(body({ macAddresses: Array.from({ length: 33 }, randomMac) }), '/device/macAddresses');
  });

  it('refuses 10,000 MAC addresses with a 400 pointing at the list', async () => {
    await expectRefused(body({ macAddresses: Array.from({ length: 10_000 }, randomMac) }), '/device/macAddresses');
  });

  it('refuses a body beyond any plausible list (300 kB) with 413, before parsing it', async () => {
    await expectRefused(body({ pcName: 'P'.repeat(300_000) }), '', 413);
  });

  it.each([['empty', ''], ['blank', '   '], ['10 kB', 'P'.repeat(10_000)], ['65 characters', 'P'.repeat(65)], ['a control character', 'PC\u0007NAME']])(
    'refuses a PC name that is %s', async (_name, pcName) => {
      await expectRefused(body({ pcName }), '/device/pcName');
    });

  it('refuses a user name with a bidi override (it would display as another name)', async () => {
    await expectRefused(body({ ntUsername: 'admin\u202Egpj.exe' }), '/device/ntUsername');
  });

  it.each([
    ['key', { key: 42 }, '/key'], ['product', { product: ['X'] }, '/product'], ['nonce', { nonce: null }, '/nonce'],
    ['short nonce', { nonce: 'abc' }, '/nonce'], ['device', { device: 'LAPTOP-1' }, '/device'], ['clientTime', { clientTime: 'yesterday' }, '/clientTime'],
    ['activate', { activate: 'yes' }, '/activate'], ['app', { app: { version: 5 } }, '/app/version'],
  ])('refuses a wrong type for %s with a pointer', async (_name, patch, pointer) => {
    await expectRefused({ ...body({}), ...patch }, pointer);
  });

  it('refuses wrong types inside the device, pointing at each field', async () => {
    const res = await expectRefused(body({ ntUsername: 7, pcName: {}, macAddresses: 'AA:BB' }), '/device/ntUsername');
    expect((res.body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(['/device/macAddresses', '/device/ntUsername', '/device/pcName']);
  });

  it('refuses JSON that names a key twice', async () => {
    const text = JSON.stringify(body({})).replace('{"key":', `{"key":"${licence.key}","key":`);
    const res = await h.api.post('/v1/validate').set('Content-Type', 'application/json').send(text);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON', errors: [{ pointer: '/key', detail: 'duplicate key' }] });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await h.api.post('/v1/validate').set('Content-Type', 'application/json').send('{"key": ');
    expect(res.status).toBe(400);
    const form = await h.api.post('/v1/validate').type('form').send('key=x');
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
  });
});

describe('POST /v1/validate with honest unusual input', () => {
  it.each([['Arabic', 'مريم'], ['Hebrew', 'יוסי'], ['Japanese', '山田太郎'], ['accents', 'Zoë.Ñúñez'], ['emoji', 'dev🚀']])(
    'accepts a %s user name and keeps it intact', async (_name, ntUsername) => {
      const own = await buildLicence(h);
      const pc = aDevice({ ntUsername, ntDomain: 'ДОМЕН', pcName: 'ПК-１' });
      const res = await validate(h, validateBody(own.key, own.product.code, pc)).expect(200);
      expect(res.body.code).toBe('VALID');
      const admin = await h.login('admin');
      const devices = await h.api.get(`/v1/licences/${own.licence.id}/devices`).set(h.auth(admin)).expect(200);
      expect(devices.body.items[0]).toMatchObject({ pcName: 'ПК-１', lastNtAccount: `ДОМЕН\\${ntUsername}` });
    });

  it('accepts a machine without physical adapters (no MAC) and matches it by name', async () => {
    const own = await buildLicence(h);
    const pc = aDevice({ macAddresses: [] });
    const first = await validate(h, validateBody(own.key, own.product.code, pc)).expect(200);
    const again = await validate(h, validateBody(own.key, own.product.code, pc)).expect(200);
    expect(again.body.device).toEqual({ id: first.body.device.id, new: false });
  });

  it('ignores fields it does not know, so newer SDKs keep working', async () => {
    const own = await buildLicence(h);
    const res = await validate(h, { ...validateBody(own.key, own.product.code, aDevice()), sdk: { name: 'nomina', version: '9.0' } }).expect(200);
    expect(res.body.code).toBe('VALID');
  });
});
