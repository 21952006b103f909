/**
 * API keys for the vendor's systems: shown once, stored as a keyed digest, refused at once when
 * revoked or expired, masked like support unless a scope and a purpose say otherwise, audited as
 * the key, and limited per key with 429 + Retry-After.
 */
import { createHmac } from 'node:crypto';
import { buildContact } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.login('admin');
});
afterAll(() => h.close());

async function createKey(body: Record<string, unknown>) {
  const res = await h.api.post('/v1/api-keys').set(h.auth(admin)).send({ name: 'crm', ...body }).expect(201);
  return res.body as { id: string; key: string; scopes: string[] };
}

describe('POST /v1/api-keys', () => {
  it('shows the key once and stores only its keyed digest and last 4 characters', async () => {
    const res = await h.api.post('/v1/api-keys').set(h.auth(admin)).send({ name: 'billing', scopes: ['licences:read'] }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.key).toMatch(/^nmk_[A-Za-z0-9_-]{43}$/);
    const row = await h.services.prisma.apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.keyDigest).toBe(createHmac('sha256', h.config.secrets.keyPepper).update(`api_key\0${res.body.key}`).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(res.body.key);
    const list = await h.api.get('/v1/api-keys').set(h.auth(admin)).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: 'billing', key: `nmk_…${res.body.key.slice(-4)}`, scopes: ['licences:read'], lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    const entry = await h.services.prisma.auditEntry.findFirstOrThrow({ where: { action: 'api_key.create', resourceId: res.body.id } });
    expect(entry.actorType).toBe('staff');
  });

  it('refuses unknown scopes, a past expiry and a missing name with pointers', async () => {
    const res = await h.api.post('/v1/api-keys').set(h.auth(admin)).send({ scopes: ['audit:read'], expiresAt: 'tomorrow' }).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/expiresAt', '/name', '/scopes/0']);
    const past = await h.api.post('/v1/api-keys').set(h.auth(admin)).send({ name: 'x', scopes: ['licences:read'], expiresAt: '2020-01-01T00:00:00Z' }).expect(400);
    expect(past.body.errors).toEqual([{ pointer: '/expiresAt', detail: 'must be in the future' }]);
  });

  it('cannot be called with an API key, whatever its scopes', async () => {
    const key = await createKey({ scopes: ['licences:write', 'customers:write', 'personal_data:unmasked'] });
    const res = await h.api.post('/v1/api-keys').set(h.auth(key.key)).send({ name: 'escalate', scopes: ['licences:read'] }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});

describe('requests made with an API key', () => {
  it('are refused on the very next request once the key is revoked, and when it has expired', async () => {
    const key = await createKey({ scopes: ['catalogue:read'] });
    await h.api.get('/v1/products').set(h.auth(key.key)).expect(200);
    const listed = (await h.api.get('/v1/api-keys').set(h.auth(admin)).expect(200)).body.items.find((k: { id: string }) => k.id === key.id);
    expect(listed.lastUsedAt).not.toBeNull();
    const revoked = await h.api.post(`/v1/api-keys/${key.id}/actions/revoke`).set(h.auth(admin)).expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await h.api.get('/v1/products').set(h.auth(key.key)).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect((await h.api.get('/v1/api-keys').set(h.auth(admin)).expect(200)).body.items.map((k: { id: string }) => k.id)).not.toContain(key.id);
    expect((await h.api.get('/v1/api-keys?includeRevoked=true').set(h.auth(admin)).expect(200)).body.items.map((k: { id: string }) => k.id)).toContain(key.id);

    const short = await createKey({ scopes: ['catalogue:read'], expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await h.api.get('/v1/products').set(h.auth(short.key)).expect(200);
    await h.services.prisma.apiKey.update({ where: { id: short.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await h.api.get('/v1/products').set(h.auth(short.key)).expect(401);
    // A well-shaped key nobody issued, and a mangled one.
    await h.api.get('/v1/products').set(h.auth(`nmk_${'A'.repeat(43)}`)).expect(401);
    await h.api.get('/v1/products').set(h.auth('nmk_short')).expect(401);
  });

  it('see personal data masked, unmasked only with the personal_data:unmasked scope and a purpose, and are audited as the key', async () => {
    const contact = await buildContact(h);
    const reader = await createKey({ scopes: ['customers:read'] });
    const trusted = await createKey({ scopes: ['customers:read', 'personal_data:unmasked'] });
    const masked = await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(reader.key)).set('X-Purpose', 'ticket 42').expect(200);
    expect(masked.body.lastName).toMatch(/^P•••$/);
    const noPurpose = await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(trusted.key)).expect(200);
    expect(noPurpose.body.lastName).toMatch(/^P•••$/);
    const full = await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(trusted.key)).set('X-Purpose', 'invoice 2026-17').expect(200);
    expect(full.body.lastName).toMatch(/^Peeters-/);
    const list = await h.api.get(`/v1/contacts?customerId=${contact.customerId}`).set(h.auth(trusted.key)).set('X-Purpose', 'sync').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(full.body.lastName);
    const entries = await h.audit.findMany({ where: { action: 'contact.read', subjectId: contact.id }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.actorType, e.actorId, e.purpose])).toEqual([
      ['api_key', reader.id, 'ticket 42'], ['api_key', trusted.id, null], ['api_key', trusted.id, 'invoice 2026-17'],
    ]);
  });

  it('are limited per key: 429 with Retry-After and RateLimit headers, other keys unaffected', async () => {
    const limited = await createKey({ scopes: ['catalogue:read'], rateLimitPerMinute: 3 });
    const other = await createKey({ scopes: ['catalogue:read'] });
    const first = await h.api.get('/v1/products').set(h.auth(limited.key)).expect(200);
    expect(first.headers).toMatchObject({ ratelimit: expect.stringMatching(/^limit=3, remaining=2, reset=\d+$/), 'ratelimit-policy': '3;w=60' });
    await h.api.get('/v1/products').set(h.auth(limited.key)).expect(200);
    await h.api.get('/v1/products').set(h.auth(limited.key)).expect(200);
    const refused = await h.api.get('/v1/products').set(h.auth(limited.key)).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers.ratelimit).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    await h.api.get('/v1/products').set(h.auth(other.key)).expect(200);
  });
});
