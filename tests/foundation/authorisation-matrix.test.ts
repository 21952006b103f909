/**
 * Deny by default, proven per route and role. The matrix is generated from the route table, so
 * a new route is covered the moment it exists: a staff route is called with every role, no token,
 * an expired token and a subject token, and with an API key of every scope (admitted exactly where
 * the route names the scope); a public route must be listed below on purpose.
 */
import { randomUUID } from 'node:crypto';
import { API_SCOPES, type ApiScope } from '../../src/api-keys/api-key-scopes';
import { createApiKey } from '../../src/api-keys/create-api-key';
import { allRoutes } from '../../src/route-table';
import type { StaffRole } from '../../src/generated/prisma/enums';
import { createHarness, type Harness } from '../support/harness';

const ROLES: StaffRole[] = ['support', 'privacy_officer', 'admin', 'auditor'];

/** Routes anyone may call. Adding one here is a security decision: say why in review. */
const PUBLIC_ROUTES = new Set([
  'GET /healthz', 'GET /readyz',
  'POST /v1/staff/sessions',
  'POST /v1/setup', // first-run setup: needs the one-time code printed at start; dead once a staff user exists
  'POST /v1/validate', 'GET /.well-known/jwks.json', 'GET /.well-known/jwks.signed',
  'POST /v1/privacy/verification', 'POST /v1/privacy/sessions', 'GET /v1/privacy/register',
  // The export format is public, like the register: a holder (or their tools) must be able to read it before signing in.
  'GET /v1/privacy/export-schema',
]);

const routes = allRoutes();
const staffRoutes = routes.filter((r) => r.access.kind === 'staff');
const label = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
const concretePath = (path: string) => path.replace(/:([A-Za-z]+)/g, () => randomUUID());

let h: Harness;
const tokens = {} as Record<StaffRole | 'expired' | 'subject', string>;
const keys = {} as Record<ApiScope | 'revoked', string>;
beforeAll(async () => {
  h = await createHarness();
  for (const role of ROLES) tokens[role] = await h.login(role);
  const admin = await h.staffUser('admin');
  tokens.expired = (await h.services.sessions.issueStaff(admin.id, new Date(Date.now() - 3 * 3600_000))).token;
  tokens.subject = (await h.services.sessions.issueSubject(randomUUID(), 900)).token;
  for (const scope of API_SCOPES) {
    keys[scope] = (await createApiKey(h.services, { name: `matrix ${scope}`, scopes: [scope], rateLimitPerMinute: 100_000 }, admin.id, { type: 'system' }, 'matrix')).key;
  }
  const revoked = await createApiKey(h.services, { name: 'matrix revoked', scopes: [...API_SCOPES], rateLimitPerMinute: 100_000 }, admin.id, { type: 'system' }, 'matrix');
  await h.services.prisma.apiKey.update({ where: { id: revoked.apiKey.id }, data: { revokedAt: new Date() } });
  keys.revoked = revoked.key;
});
afterAll(() => h.close());

function call(route: { method: string; path: string }, token?: string) {
  const req = (h.api as unknown as Record<string, (p: string) => import('supertest').Test>)[route.method](concretePath(route.path));
  if (token) req.set('Authorization', `Bearer ${token}`);
  return route.method === 'get' || route.method === 'delete' ? req : req.send({});
}

describe('the authorisation matrix', () => {
  it('has an access rule with at least one role on every staff route', () => {
    for (const route of staffRoutes) {
      expect(route.access.kind === 'staff' && route.access.roles.length).toBeGreaterThan(0);
    }
  });

  it('never opens a privacy-officer, auditor, key or webhook route to API keys', () => {
    const closed = /^\/v1\/(privacy|audit|retention|breaches|api-keys|webhooks|staff|signing-keys)(\/|$)/;
    for (const route of staffRoutes) {
      if (route.access.kind !== 'staff' || !route.access.scopes) continue;
      expect({ route: label(route), closed: closed.test(route.path) }).toEqual({ route: label(route), closed: false });
      expect({ route: label(route), supportOrAdmin: route.access.roles.some((r) => r === 'support' || r === 'admin') }).toEqual({ route: label(route), supportOrAdmin: true });
    }
  });

  it('lists every public route on purpose', () => {
    const unlisted = routes.filter((r) => r.access.kind === 'public' && !PUBLIC_ROUTES.has(label(r))).map(label);
    expect(unlisted).toEqual([]);
  });

  it('refuses callers without a subject session on every subject route', async () => {
    for (const route of routes.filter((r) => r.access.kind === 'subject')) {
      expect({ route: label(route), status: (await call(route)).status }).toEqual({ route: label(route), status: 401 });
      expect({ route: label(route), status: (await call(route, tokens.admin)).status }).toEqual({ route: label(route), status: 401 });
      expect({ route: label(route), status: (await call(route, keys['personal_data:unmasked'])).status }).toEqual({ route: label(route), status: 401 });
    }
  });

  it.each(staffRoutes.map((r) => [label(r), r] as const))('%s admits exactly its roles', async (_name, route) => {
    const allowed = route.access.kind === 'staff' ? route.access.roles : [];
    expect((await call(route)).status).toBe(401);
    expect((await call(route, tokens.expired)).status).toBe(401);
    expect((await call(route, tokens.subject)).status).toBe(401);
    expect((await call(route, 'not-a-token')).status).toBe(401);
    for (const role of ROLES) {
      const res = await call(route, tokens[role]);
      if (allowed.includes(role)) {
        expect({ role, status: res.status, code: res.body?.code }).not.toMatchObject({ code: 'FORBIDDEN' });
        expect(res.status).not.toBe(401);
        expect(res.status).toBeLessThan(500);
      } else {
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
      }
    }
    const scopes = route.access.kind === 'staff' ? route.access.scopes ?? [] : [];
    expect((await call(route, keys.revoked)).status).toBe(401);
    for (const scope of API_SCOPES) {
      const res = await call(route, keys[scope]);
      // personal_data:unmasked widens what a key sees, never where it may go.
      if (scopes.includes(scope)) {
        expect({ scope, status: res.status, code: res.body?.code }).not.toMatchObject({ code: 'FORBIDDEN' });
        expect(res.status).not.toBe(401);
        expect(res.status).toBeLessThan(500);
      } else {
        expect({ scope, status: res.status }).toEqual({ scope, status: 403 });
      }
    }
  });

  it('stops accepting the token of a disabled staff user at once', async () => {
    const victim = await h.staffUser('auditor');
    await h.api.get('/v1/audit/verify').set(h.auth(victim.token)).expect(200);
    await h.api.post(`/v1/staff/${victim.id}/actions/disable`).set(h.auth(tokens.admin)).expect(200);
    await h.api.get('/v1/audit/verify').set(h.auth(victim.token)).expect(401);
  });
});
