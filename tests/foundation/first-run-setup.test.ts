/**
 * First-run setup: while no staff user exists, start-up prints a one-time code, and POST /v1/setup
 * exchanges it once for the first admin. Also: the environment-variable bootstrap stays safe when
 * two instances start together on one database.
 */
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import { bootstrapAdmin } from '../../src/staff/bootstrap-admin';
import { createHarness, type Harness } from '../support/harness';

const CODE = /setup code ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})/;

async function printedCode(h: Harness): Promise<string> {
  const before = h.logs.length;
  await bootstrapAdmin(h.services, 'http://127.0.0.1:3000');
  const line = h.logs.slice(before).find((l) => CODE.test(l));
  expect(line).toBeDefined();
  return CODE.exec(line!)![1];
}

describe('POST /v1/setup', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('creates the first admin once from the code printed at start, then refuses every later call', async () => {
    const code = await printedCode(h);
    expect(h.logs.join('')).toContain('/v1/setup');

    const wrong = await h.api.post('/v1/setup').send({ code: 'AAAAA-BBBBB-CCCCC-DDDDD', email: 'first@vendor.test', password: 'a long passphrase' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.code).toBe('INVALID_CODE');

    const bad = await h.api.post('/v1/setup').send({ code, email: 'not-an-email', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/email', '/password']);

    // Typed by a person: lower case and without dashes still counts.
    const res = await h.api.post('/v1/setup').send({ code: code.toLowerCase().replace(/-/g, ''), email: 'First@Vendor.test', password: 'a long passphrase' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'first@vendor.test', roles: ['admin'], disabled: false });

    const login = await h.api.post('/v1/staff/sessions').send({ email: 'first@vendor.test', password: 'a long passphrase' });
    expect(login.status).toBe(200);

    const again = await h.api.post('/v1/setup').send({ code, email: 'second@vendor.test', password: 'a long passphrase' });
    expect(again.status).toBe(409);
    expect(await h.services.prisma.staffUser.count()).toBe(1);
    expect(await h.services.prisma.setupCode.count()).toBe(0);

    const audit = await h.services.prisma.auditEntry.findFirst({ where: { action: 'staff.create', resourceId: res.body.id } });
    expect(audit).toMatchObject({ actorType: 'system', actorId: 'setup' });
    // No further code is printed once an admin exists.
    const before = h.logs.length;
    await bootstrapAdmin(h.services);
    expect(h.logs.slice(before).join('')).not.toMatch(CODE);
  });
});

describe('first-run setup races and limits', () => {
  let h: Harness;
  beforeEach(async () => { h = await createHarness(); });
  afterEach(() => h.close());

  it('makes exactly one admin when two setup calls race with the codes of two instances', async () => {
    const [first, second] = [await printedCode(h), await printedCode(h)];
    const results = await Promise.all([
      h.api.post('/v1/setup').send({ code: first, email: 'a@vendor.test', password: 'a long passphrase' }),
      h.api.post('/v1/setup').send({ code: second, email: 'b@vendor.test', password: 'a long passphrase' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await h.services.prisma.staffUser.count()).toBe(1);
  });

  it('refuses an expired code', async () => {
    const code = await printedCode(h);
    const realNow = h.services.now;
    h.services.now = () => new Date(Date.now() + 61 * 60_000);
    try {
      const res = await h.api.post('/v1/setup').send({ code, email: 'late@vendor.test', password: 'a long passphrase' });
      expect(res.status).toBe(401);
    } finally {
      h.services.now = realNow;
    }
    expect(await h.services.prisma.staffUser.count()).toBe(0);
  });

  it('rate-limits guessing with a 429 and Retry-After', async () => {
    await printedCode(h);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = await h.api.post('/v1/setup').send({ code: `GUESS-${i}`, email: 'x@vendor.test', password: 'a long passphrase' });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('bootstraps one admin from the environment when two instances start together', async () => {
    const bootstrap = { email: 'ops@vendor.test', password: 'a long passphrase' };
    const other = await openDatabase({ databaseUrl: h.databaseUrl, dataDir: h.config.dataDir });
    const second = buildServices({ ...h.config, bootstrapAdmin: bootstrap }, other, createLogger('silent'));
    try {
      const first = buildServices({ ...h.config, bootstrapAdmin: bootstrap }, h.db, createLogger('silent'));
      await expect(Promise.all([bootstrapAdmin(first), bootstrapAdmin(second), bootstrapAdmin(first)])).resolves.toBeDefined();
      expect(await h.services.prisma.staffUser.count()).toBe(1);
      await first.close();
    } finally {
      await second.close();
      await other.close();
    }
  });
});
