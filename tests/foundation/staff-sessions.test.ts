import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('POST /v1/staff/sessions', () => {
  it('issues a short-lived token for the right password, usable on staff routes', async () => {
    const user = await h.staffUser('admin');
    const res = await h.api.post('/v1/staff/sessions').send({ email: user.email.toUpperCase(), password: user.password }).expect(200);
    const expiresIn = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    await h.api.get('/v1/staff').set(h.auth(res.body.token)).expect(200);
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const user = await h.staffUser('support');
    const wrong = await h.api.post('/v1/staff/sessions').send({ email: user.email, password: 'wrong-password-123' });
    const unknown = await h.api.post('/v1/staff/sessions').send({ email: 'nobody@vendor.test', password: 'wrong-password-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('stores passwords as argon2id hashes', async () => {
    const user = await h.staffUser('auditor');
    const row = await h.services.prisma.staffUser.findUnique({ where: { id: user.id } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('rate-limits guessing one account, with Retry-After', async () => {
    const user = await h.staffUser('privacy_officer');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await h.api.post('/v1/staff/sessions').send({ email: user.email, password: `guess-${i}-xxxxxxxx` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('lets an admin create staff users with roles, and records it in the audit trail', async () => {
    const admin = await h.login('admin');
    const res = await h.api.post('/v1/staff').set(h.auth(admin))
      .send({ email: 'new.support@vendor.test', password: 'a-long-enough-password', roles: ['support'] }).expect(201);
    expect(res.body).toMatchObject({ email: 'new.support@vendor.test', roles: ['support'], disabled: false });
    expect(res.body.passwordHash).toBeUndefined();
    const entry = await h.services.prisma.auditEntry.findFirst({ where: { action: 'staff.create', resourceId: res.body.id } });
    expect(entry).not.toBeNull();
  });

  it('never writes passwords or tokens to the logs', async () => {
    const user = await h.staffUser('admin');
    const res = await h.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password }).expect(200);
    const logs = h.logs.join('');
    expect(logs).not.toContain(user.password);
    expect(logs).not.toContain(res.body.token);
    expect(logs).not.toContain(user.email);
  });
});
