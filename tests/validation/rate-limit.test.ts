import { keyLookup } from '../../src/licences/licence-keys';
import { VALIDATE_PER_ADDRESS, VALIDATE_PER_KEY } from '../../src/validation/validate.routes';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from './validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('rate limits on POST /v1/validate', () => {
  it('limits one key, whatever address it comes from, with a 429 problem and Retry-After', async () => {
    const { key, product } = await buildLicence(h);
    const pc = aDevice();
    for (let i = 0; i < VALIDATE_PER_KEY.points; i++) await validate(h, validateBody(key, product.code, pc), `192.0.2.${i % 250}`).expect(200);
    const res = await validate(h, validateBody(key, product.code, pc), '198.51.100.7');
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    // Another key is not affected.
    const other = await buildLicence(h);
    await validate(h, validateBody(other.key, other.product.code, aDevice()), '198.51.100.7').expect(200);
  });

  it('limits one client address across keys, including keys that do not exist', async () => {
    const address = '203.0.113.9';
    // Spend the address's budget through the same limiter (the real 1,200 requests would only slow the test).
    await h.services.rateLimits.consume('validate-address', VALIDATE_PER_ADDRESS, address, VALIDATE_PER_ADDRESS.points);
    const { key, product } = await buildLicence(h);
    const res = await validate(h, validateBody(key, product.code, aDevice()), address);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    await validate(h, validateBody(key, product.code, aDevice()), '203.0.113.10').expect(200);
  });

  it('counts unknown keys by their digest too, so guessing is limited per key as well as per address', async () => {
    const guess = 'ACME-AAAAA-BBBBB-CCCCC-DDDDD-EEEEE';
    await h.services.rateLimits.consume('validate-key', VALIDATE_PER_KEY, keyLookup(h.config.secrets.keyPepper, guess).digest, VALIDATE_PER_KEY.points);
    const res = await validate(h, validateBody(guess, 'ACME', aDevice()));
    expect(res.status).toBe(429);
  });
});
