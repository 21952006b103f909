import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from './validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('POST /v1/validate under concurrency (row lock on the licence)', () => {
  it('admits exactly 2 of 12 concurrent first starts on a 2-machine licence', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 2 } });
    const results = await Promise.all(Array.from({ length: 12 }, () => validate(h, validateBody(key, product.code, aDevice()))));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const codes = results.map((r) => r.body.code).sort();
    expect(codes).toEqual([...Array(10).fill('TOO_MANY_MACHINES'), 'VALID', 'VALID']);
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id, releasedAt: null } })).toBe(2);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: licence.id } })).toBe(12);
  });

  it('creates one device when the same new PC validates 10 times in parallel', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxMachines: 2 } });
    const pc = aDevice();
    const results = await Promise.all(Array.from({ length: 10 }, () => validate(h, validateBody(key, product.code, pc))));
    expect(results.map((r) => r.body.code)).toEqual(Array(10).fill('VALID'));
    expect(new Set(results.map((r) => r.body.device.id)).size).toBe(1);
    expect(results.filter((r) => r.body.device.new)).toHaveLength(1);
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.id } })).toBe(1);
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(1);
  });

  it('binds exactly maxUsers accounts when different users start at once', async () => {
    const { key, product, licence } = await buildLicence(h, { policy: { maxUsers: 1, maxMachines: 10 } });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => validate(h, validateBody(key, product.code, aDevice({ ntUsername: `user${i}` })))));
    expect(results.map((r) => r.body.code).sort()).toEqual(['USER_MISMATCH', 'USER_MISMATCH', 'USER_MISMATCH', 'USER_MISMATCH', 'USER_MISMATCH', 'USER_MISMATCH', 'USER_MISMATCH', 'VALID']);
    expect(await h.services.prisma.licenceUser.count({ where: { licenceId: licence.id } })).toBe(1);
  });
});
