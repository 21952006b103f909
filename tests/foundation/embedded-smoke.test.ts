/**
 * The default form: no DATABASE_URL, embedded PostgreSQL in a data directory. The same app,
 * migrations and use cases as on PostgreSQL, through HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { openMigratedDatabase } from '../../src/startup';
import { openDatabase } from '../../src/db/database';
import { applyMigrations } from '../../src/db/migrations';
import { toAppError } from '../../src/http/error-handler';
import { testConfig } from '../support/test-config';
import { aDevice, validateBody, verifyWithJwks } from '../validation/validate-helpers';

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
    await api.get('/readyz').expect(200, { status: 'ready', database: 'embedded', rateLimits: 'memory' });
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

describe('in memory (memory://), the SDK round trip', () => {
  let memDb: Database;
  let mem: Services;
  const memDir = mkdtempSync(path.join(tmpdir(), 'nomina-mem-'));
  beforeAll(async () => {
    memDb = await openDatabase({ dataDir: 'memory://' });
    const conn = await memDb.connect();
    try { await applyMigrations(conn); } finally { await conn.release(); }
    mem = buildServices(testConfig({ dataDir: memDir }), memDb, createLogger('silent'));
  });
  afterAll(async () => {
    await mem.close();
    await memDb.close();
    rmSync(memDir, { recursive: true, force: true });
  });

  it('validates a licence (new device, then the known-device path), ingests telemetry once, releases and refuses the released device', async () => {
    const api = request(createApp(mem));
    await createStaffUser(mem.prisma, { email: 'admin@vendor.test', password: 'correct horse battery', roles: ['admin'] });
    const auth = { Authorization: `Bearer ${(await api.post('/v1/staff/sessions').send({ email: 'admin@vendor.test', password: 'correct horse battery' }).expect(200)).body.token}` };
    const customer = await api.post('/v1/customers').set(auth).send({ name: 'Stad Gent', country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' }).expect(201);
    const holder = await api.post('/v1/contacts').set(auth).send({ customerId: customer.body.id, firstName: 'An', lastName: 'Wouters', email: 'an.wouters@gent.test' }).expect(201);
    const product = await api.post('/v1/products').set(auth).send({ code: 'GENT', name: 'Gent Desktop' }).expect(201);
    const policy = await api.post('/v1/policies').set(auth).send({ productId: product.body.id, name: 'Standard', maxMachines: 1, maxUsers: 1 }).expect(201);
    const issued = await api.post('/v1/licences').set(auth).send({ policyId: policy.body.id, holderId: holder.body.id }).expect(201);
    const device = aDevice();

    const first = await api.post('/v1/validate').send(validateBody(issued.body.key, 'GENT', device)).expect(200);
    expect(first.body).toMatchObject({ valid: true, code: 'VALID', device: { new: true }, telemetry: 'on' });
    const again = await api.post('/v1/validate').send(validateBody(issued.body.key, 'GENT', device)).expect(200);
    expect(again.body).toMatchObject({ valid: true, code: 'VALID', device: { id: first.body.device.id, new: false } });
    // The token is signed with a key the embedded database holds, and checks out against the served key set.
    const { payload } = await verifyWithJwks({ api } as never, again.body.token, 'GENT');
    expect(payload).toMatchObject({ nonce: again.body.nonce });
    const second = await api.post('/v1/validate').send(validateBody(issued.body.key, 'GENT', aDevice())).expect(200);
    expect(second.body).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES' });

    const bearer = { Authorization: `Bearer ${again.body.token}` };
    const batch = { batchId: randomUUID(), events: [{ type: 'feature', name: 'export_pdf', at: new Date().toISOString(), durationMs: 12 }, { type: 'session_start', name: 'session', at: new Date().toISOString() }] };
    expect((await api.post('/v1/telemetry').set(bearer).send(batch).expect(202)).body).toMatchObject({ accepted: 2, duplicate: false });
    expect((await api.post('/v1/telemetry').set(bearer).send(batch).expect(202)).body).toMatchObject({ accepted: 0, duplicate: true });
    const stored = await mem.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM telemetry_events');
    expect(stored[0].n).toBe(2);

    await api.post('/v1/devices/release').set(bearer).expect(204);
    const released = await api.post('/v1/validate').send(validateBody(issued.body.key, 'GENT', device)).expect(200);
    expect(released.body).toMatchObject({ valid: false, code: 'DEVICE_RELEASED' });
  });

  it('maps the embedded driver\'s errors like PostgreSQL\'s: bad input 400, unique violation 409, a value it cannot store 422', async () => {
    const api = request(createApp(mem));
    const admin = await createStaffUser(mem.prisma, { email: 'admin2@vendor.test', password: 'correct horse battery', roles: ['admin'] });
    const auth = { Authorization: `Bearer ${(await mem.sessions.issueStaff(admin.id)).token}` };
    await api.post('/v1/validate').set('Content-Type', 'application/json').send('{"key":').expect(400);
    await api.post('/v1/products').set(auth).send({ code: 'DUPE', name: 'x' }).expect(201);
    const duplicate = await api.post('/v1/products').set(auth).send({ code: 'DUPE', name: 'y' }).expect(409);
    expect(duplicate.body).toMatchObject({ code: 'ALREADY_EXISTS', errors: [{ pointer: '/code', detail: 'already used by another product' }] });
    const refused = await mem.prisma.$queryRawUnsafe(`SELECT '0000-01-01 00:00:00'::timestamp AS t`).then(() => null, (error: unknown) => error);
    expect(toAppError(refused)?.code).toBe('UNPROCESSABLE');
    // The database is still usable after a failed statement (no transaction left aborted).
    await api.get('/readyz').expect(200);
  });
});
