/**
 * Console (cookie) sessions beside the bearer tokens scripts use: HttpOnly + SameSite=Strict,
 * CSRF header on unsafe requests, sliding renewal, idle timeout, sign-out — and login throttling
 * that an attacker who knows an e-mail cannot turn into a lock-out of its owner.
 */
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let clock = Date.now();
beforeAll(async () => {
  h = await createHarness({ staffSessionIdleSeconds: 600 });
  h.services.now = () => new Date(clock);
});
afterAll(() => h.close());

async function cookieLogin(role: Parameters<Harness['staffUser']>[0]) {
  const user = await h.staffUser(role);
  const res = await h.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
  const setCookie = String(res.headers['set-cookie']);
  return { user, res, cookie: setCookie.split(';')[0] };
}

describe('console sessions (cookie mode)', () => {
  it('sets an HttpOnly, SameSite=Strict cookie and returns no token', async () => {
    const { res, cookie } = await cookieLogin('support');
    expect(res.body.token).toBeUndefined();
    expect(res.body.staff.roles).toEqual(['support']);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^nomina_staff=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=600; Secure$/);
    const who = await h.api.get('/v1/staff/sessions/current').set('Cookie', cookie).expect(200);
    expect(who.body).toMatchObject({ session: 'cookie', staff: { roles: ['support'] } });
  });

  it('tells the holder of a bearer token when it expires too', async () => {
    const token = await h.login('support');
    const who = await h.api.get('/v1/staff/sessions/current').set(h.auth(token)).expect(200);
    expect(who.body).toMatchObject({ session: 'bearer', staff: { roles: ['support'] } });
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
    expect(who.body.expiresAt).toBe(new Date(exp * 1000).toISOString());
    expect(new Date(who.body.expiresAt).getTime()).toBeGreaterThan(clock);
  });

  it('refuses an unsafe request without the X-Requested-With header (CSRF), and accepts it with', async () => {
    const { cookie } = await cookieLogin('admin');
    const forged = await h.api.post('/v1/products').set('Cookie', cookie).send({ code: 'CSRF1', name: 'Forged' });
    expect(forged.status).toBe(403);
    expect(forged.body.errors[0].pointer).toBe('/headers/x-requested-with');
    expect(await h.services.prisma.product.count({ where: { code: 'CSRF1' } })).toBe(0);
    await h.api.post('/v1/products').set('Cookie', cookie).set('X-Requested-With', 'nomina-console').send({ code: 'CSRF1', name: 'Real' }).expect(201);
  });

  it('is renewed while in use and ends after the idle time', async () => {
    const { cookie } = await cookieLogin('auditor');
    clock += 8 * 60_000; // 8 of 10 minutes idle
    const renewed = await h.api.get('/v1/staff/sessions/current').set('Cookie', cookie).expect(200);
    expect(String(renewed.headers['set-cookie'])).toMatch(/Max-Age=600/);
    expect(new Date(renewed.body.expiresAt).getTime()).toBe(clock + 600_000);
    clock += 8 * 60_000; // 16 minutes after sign-in, 8 after the last request: still alive
    await h.api.get('/v1/audit/verify').set('Cookie', cookie).expect(200);
    clock += 11 * 60_000; // idle longer than 10 minutes
    const idle = await h.api.get('/v1/staff/sessions/current').set('Cookie', cookie);
    expect(idle.status).toBe(401);
  });

  it('signs out: the same cookie no longer works and is cleared', async () => {
    const { cookie, user } = await cookieLogin('privacy_officer');
    const out = await h.api.delete('/v1/staff/sessions/current').set('Cookie', cookie).set('X-Requested-With', 'nomina-console').expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    await h.api.get('/v1/staff/sessions/current').set('Cookie', cookie).expect(401);
    const entry = await h.services.prisma.auditEntry.findFirst({ where: { action: 'staff.logout', actorId: user.id } });
    expect(entry).not.toBeNull();
  });

  it('forgets ended and idle sessions of a person at their next sign-in', async () => {
    const { cookie, user } = await cookieLogin('support');
    await h.api.delete('/v1/staff/sessions/current').set('Cookie', cookie).set('X-Requested-With', 'nomina-console').expect(204);
    await h.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
    clock += 31 * 60_000; // idle beyond 10 minutes
    await h.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
    expect(await h.services.prisma.staffSession.count({ where: { staffId: user.id } })).toBe(1);
  });

  it('ends console sessions of a disabled staff user', async () => {
    const admin = await h.login('admin');
    const created = await h.api.post('/v1/staff').set(h.auth(admin)).send({ email: 'leaver@vendor.test', password: 'a-long-enough-password', roles: ['support'] }).expect(201);
    const login = await h.api.post('/v1/staff/sessions').send({ email: 'leaver@vendor.test', password: 'a-long-enough-password', session: 'cookie' }).expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    await h.api.post(`/v1/staff/${created.body.id}/actions/disable`).set(h.auth(admin)).expect(200);
    await h.api.get('/v1/staff/sessions/current').set('Cookie', cookie).expect(401);
  });

  it('keeps bearer tokens for scripts (default mode)', async () => {
    const user = await h.staffUser('support');
    const res = await h.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password }).expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const who = await h.api.get('/v1/staff/sessions/current').set(h.auth(res.body.token)).expect(200);
    expect(who.body.session).toBe('bearer');
  });

  it('omits Secure in development only', async () => {
    const dev = await createHarness({ env: 'development' });
    try {
      const user = await dev.staffUser('support');
      const res = await dev.api.post('/v1/staff/sessions').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await dev.close();
    }
  });
});

describe('PUT /v1/staff/:id/roles', () => {
  it('changes roles at once (next request), audited; an admin cannot drop their own admin role', async () => {
    const admin = await h.staffUser('admin');
    const created = await h.api.post('/v1/staff').set(h.auth(admin.token)).send({ email: 'mover@vendor.test', password: 'a-long-enough-password', roles: ['support'] }).expect(201);
    const login = await h.api.post('/v1/staff/sessions').send({ email: 'mover@vendor.test', password: 'a-long-enough-password' }).expect(200);
    await h.api.get('/v1/audit/verify').set(h.auth(login.body.token)).expect(403);
    const changed = await h.api.put(`/v1/staff/${created.body.id}/roles`).set(h.auth(admin.token)).send({ roles: ['auditor'] }).expect(200);
    expect(changed.body.roles).toEqual(['auditor']);
    await h.api.get('/v1/audit/verify').set(h.auth(login.body.token)).expect(200);
    await h.api.put(`/v1/staff/${created.body.id}/roles`).set(h.auth(admin.token)).send({ roles: [] }).expect(400);
    await h.api.put(`/v1/staff/${created.body.id}/roles`).set(h.auth(admin.token)).send({ roles: ['owner'] }).expect(400);
    await h.api.put(`/v1/staff/${admin.id}/roles`).set(h.auth(admin.token)).send({ roles: ['support'] }).expect(409);
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'staff.roles', resourceId: created.body.id } })).toBe(1);
  });
});

describe('login throttling', () => {
  const from = (address: string) => ({ 'X-Forwarded-For': address });

  it('does not let guesses from one source lock the owner out from another', async () => {
    const user = await h.staffUser('support');
    for (let i = 0; i < 6; i++) await h.api.post('/v1/staff/sessions').set(from('203.0.113.7')).send({ email: user.email, password: `guess-${i}-xxxxxxxx` });
    const attacker = await h.api.post('/v1/staff/sessions').set(from('203.0.113.7')).send({ email: user.email, password: user.password });
    expect(attacker.status).toBe(429);
    await h.api.post('/v1/staff/sessions').set(from('198.51.100.20')).send({ email: user.email, password: user.password }).expect(200);
  });

  it('locks an account guessed from many sources until an admin unlocks it', async () => {
    const admin = await h.login('admin');
    const created = await h.api.post('/v1/staff').set(h.auth(admin)).send({ email: 'target@vendor.test', password: 'the-right-password', roles: ['auditor'] }).expect(201);
    let locked = 0;
    for (let source = 1; source <= 12 && locked === 0; source++) {
      for (let i = 0; i < 5; i++) {
        const res = await h.api.post('/v1/staff/sessions').set(from(`192.0.2.${source}`)).send({ email: 'target@vendor.test', password: `guess-${source}-${i}-xx` });
        if (res.status === 429) locked += 1;
      }
    }
    expect(locked).toBeGreaterThan(0);
    await h.api.post('/v1/staff/sessions').set(from('198.51.100.99')).send({ email: 'target@vendor.test', password: 'the-right-password' }).expect(429);
    await h.api.post(`/v1/staff/${created.body.id}/actions/unlock`).set(h.auth(admin)).expect(200);
    await h.api.post('/v1/staff/sessions').set(from('198.51.100.99')).send({ email: 'target@vendor.test', password: 'the-right-password' }).expect(200);
    const entry = await h.services.prisma.auditEntry.findFirst({ where: { action: 'staff.unlock', resourceId: created.body.id } });
    expect(entry).not.toBeNull();
  });

  it('answers 404 when unlocking an unknown staff user', async () => {
    const admin = await h.login('admin');
    await h.api.post('/v1/staff/00000000-0000-4000-8000-000000000000/actions/unlock').set(h.auth(admin)).expect(404);
  });
});
