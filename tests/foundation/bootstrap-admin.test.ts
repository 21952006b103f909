import { bootstrapAdmin } from '../../src/staff/bootstrap-admin';
import { buildServices } from '../../src/services';
import { createLogger } from '../../src/logger';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness({ bootstrapAdmin: { email: 'first.admin@vendor.test', password: 'a long passphrase here' } }); });
afterAll(() => h.close());

describe('the bootstrap admin', () => {
  it('is created once when several instances start together on an empty database, and none of them fails', async () => {
    // Three instances: each with its own services (as separate processes have) on one database.
    const instances = [h.services, buildServices(h.config, h.db, createLogger('silent')), buildServices(h.config, h.db, createLogger('silent'))];
    await expect(Promise.all(instances.map((services) => bootstrapAdmin(services)))).resolves.toHaveLength(3);
    expect(await h.services.prisma.staffUser.count({ where: { email: 'first.admin@vendor.test' } })).toBe(1);
    await h.api.post('/v1/staff/sessions').send({ email: 'first.admin@vendor.test', password: 'a long passphrase here' }).expect(200);
  });
});
