/**
 * The default form: no DATABASE_URL, embedded PostgreSQL in a data directory. The same app,
 * migrations and use cases as on PostgreSQL, through HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { openMigratedDatabase } from '../../src/startup';
import { testConfig } from '../support/test-config';

let dir: string;
let db: Database;
let services: Services;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nomina-embedded-'));
  const config = testConfig({ dataDir: dir });
  db = await openMigratedDatabase(config, createLogger('silent'));
  services = buildServices(config, db, createLogger('silent'));
});
afterAll(async () => {
  await services.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('on the embedded database', () => {
  it('is ready, signs staff in, and serves the staff API with encrypted contacts', async () => {
    expect(db.kind).toBe('embedded');
    const api = request(createApp(services));
    await api.get('/readyz').expect(200, { status: 'ready', database: 'embedded' });
    await createStaffUser(services.prisma, { email: 'admin@vendor.test', password: 'correct horse battery', roles: ['admin'] });
    const login = await api.post('/v1/staff/sessions').send({ email: 'admin@vendor.test', password: 'correct horse battery' }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.token}` };
    const customer = await api.post('/v1/customers').set(auth).send({ name: 'Stad Leuven', country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' }).expect(201);
    const contact = await api.post('/v1/contacts').set(auth)
      .send({ customerId: customer.body.id, firstName: 'Lies', lastName: 'Claes', email: 'lies.claes@leuven.test' }).expect(201);
    expect(contact.body).toMatchObject({ firstName: 'Lies', view: 'full' });
    const raw = await services.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(c)::text AS row FROM contacts c`);
    expect(raw[0].row).not.toContain('Claes');
    const verify = await api.get('/v1/audit/verify').set(auth).expect(200);
    expect(verify.body.ok).toBe(true);
    expect(verify.body.checked).toBeGreaterThanOrEqual(3);
  });
});
