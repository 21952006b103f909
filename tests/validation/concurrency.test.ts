import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, randomMac, validate, validateBody } from './validate-helpers';

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

describe('POST /v1/validate: concurrent validations read their facts together (grouped reads on the hot path)', () => {
  it('gives each of many simultaneous requests the verdict of its own key and device', async () => {
    const licences = await Promise.all(Array.from({ length: 6 }, () => buildLicence(h, { policy: { maxMachines: 2 } })));
    // Two MACs, one MAC, no MAC: the per-request MAC lists travel side by side in one statement.
    const devices = licences.map((_, i) => aDevice({ ntUsername: `user${i}`, macAddresses: i % 3 === 0 ? [randomMac(), randomMac()] : i % 3 === 1 ? [randomMac()] : [] }));
    for (const [i, l] of licences.entries()) await validate(h, validateBody(l.key, l.product.code, devices[i])).expect(200);
    await h.services.prisma.licence.update({ where: { id: licences[5].licence.id }, data: { status: 'suspended' } });

    const requests = [
      ...licences.map((l, i) => validateBody(l.key, l.product.code, devices[i])),
      // the same PC renamed by IT, found by its second MAC
      validateBody(licences[0].key, licences[0].product.code, { ...devices[0], pcName: 'RENAMED-PC', macAddresses: [devices[0].macAddresses[1]] }),
      // a key that does not exist, and another user on licence 1 (maxUsers 1)
      validateBody(`${licences[1].product.code}-00000-00000-00000-00000-00000`, licences[1].product.code, aDevice()),
      validateBody(licences[1].key, licences[1].product.code, { ...devices[1], ntUsername: 'someone-else' }),
    ];
    const results = await Promise.all(requests.map((body) => validate(h, body)));
    expect(results.map((r) => r.status)).toEqual(Array(requests.length).fill(200));
    expect(results.map((r) => r.body.code)).toEqual(['VALID', 'VALID', 'VALID', 'VALID', 'VALID', 'SUSPENDED', 'VALID', 'NOT_FOUND', 'USER_MISMATCH']);
    results.forEach((r, i) => expect(r.body.nonce).toBe(requests[i].nonce));
    for (let i = 0; i < 6; i++) expect(results[i].body.licence.id).toBe(licences[i].licence.id);
    const firstDevice = await h.services.prisma.device.findFirstOrThrow({ where: { licenceId: licences[0].licence.id } });
    expect([results[0].body.device.id, results[6].body.device.id]).toEqual([firstDevice.id, firstDevice.id]);
    expect(results[7].body.licence).toBeNull();
  });
});
