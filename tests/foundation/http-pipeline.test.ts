import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.login('admin');
});
afterAll(() => h.close());

const expectProblem = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, requestId: res.headers['x-request-id'] });
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
};

describe('the HTTP pipeline', () => {
  it('puts a request id on every response, and keeps a well-formed one from the caller', async () => {
    const res = await h.api.get('/healthz').set('X-Request-Id', 'trace-12345678');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-12345678');
    const other = await h.api.get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await h.api.get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await h.api.get('/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).set('Content-Type', 'application/json').send('{"code": "AB",');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('refuses JSON that names a key twice, pointing at it', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).set('Content-Type', 'application/json')
      .send('{"code":"DUP","name":"x","nested":{"a":1},"code":"OTHER"}');
    expectProblem(res, 400, 'MALFORMED_JSON');
    expect(res.body.errors).toEqual([{ pointer: '/code', detail: 'duplicate key' }]);
  });

  it('answers wrong types with pointers to every bad field', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 42, name: ['x'] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const pointers = (res.body.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/code', '/name']);
  });

  it('refuses unknown fields', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 'UNK', name: 'x', isAdmin: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ pointer: '/isAdmin', detail: 'unknown field' }]);
  });

  it('answers an oversized body with 413 and stores nothing', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 'BIG', name: 'x'.repeat(70_000) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await h.services.prisma.product.count({ where: { code: 'BIG' } })).toBe(0);
  });

  it('answers a duplicate unique field with 409 naming the field, never its value', async () => {
    const product = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 'TWICE', name: 'first' }).expect(201);
    const twice = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 'TWICE', name: 'second' });
    expectProblem(twice, 409, 'ALREADY_EXISTS');
    expect(twice.body.errors).toEqual([{ pointer: '/code', detail: 'already used by another product' }]);
    // A name unique within its product: the pointer is the name, the product its scope.
    await h.api.post('/v1/policies').set(h.auth(admin)).send({ productId: product.body.id, name: 'Standard' }).expect(201);
    const policy = await h.api.post('/v1/policies').set(h.auth(admin)).send({ productId: product.body.id, name: 'Standard' });
    expectProblem(policy, 409, 'ALREADY_EXISTS');
    expect(policy.body.errors).toEqual([{ pointer: '/name', detail: 'already used by another policy for this product' }]);
    // Personal values (an e-mail) are named by their field only.
    await h.api.post('/v1/staff').set(h.auth(admin)).send({ email: 'twice.staff@vendor.test', password: 'a long passphrase', roles: ['support'] }).expect(201);
    const staff = await h.api.post('/v1/staff').set(h.auth(admin)).send({ email: 'twice.staff@vendor.test', password: 'a long passphrase', roles: ['support'] });
    expectProblem(staff, 409, 'ALREADY_EXISTS');
    expect(staff.body.errors[0].pointer).toBe('/email');
    const customer = await h.api.post('/v1/customers').set(h.auth(admin)).send({ name: 'Twice NV', country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' }).expect(201);
    const contact = { customerId: customer.body.id, firstName: 'Tw', lastName: 'Ice', email: 'twice.contact@twice.test', roles: ['licence_holder'] };
    await h.api.post('/v1/contacts').set(h.auth(admin)).send(contact).expect(201);
    const again = await h.api.post('/v1/contacts').set(h.auth(admin)).send(contact);
    expectProblem(again, 409, 'ALREADY_EXISTS');
    expect(again.body.errors).toEqual([{ pointer: '/email', detail: 'already used by another contact for this customer' }]);
    expect(JSON.stringify([twice.body, policy.body, staff.body, again.body])).not.toMatch(/TWICE|Standard|twice\.(staff|contact)@/);
  });

  it('answers bad path parameters with 400, not 500', async () => {
    const res = await h.api.get('/v1/products/not-a-uuid').set(h.auth(admin));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors[0].pointer).toBe('/params/id');
  });

  it('accepts unicode text intact', async () => {
    const res = await h.api.post('/v1/products').set(h.auth(admin)).send({ code: 'UNI', name: 'Ĳsselmeer — 東京 — مرحبا 🚀' }).expect(201);
    const stored = await h.services.prisma.product.findUnique({ where: { id: res.body.id } });
    expect(stored?.name).toBe('Ĳsselmeer — 東京 — مرحبا 🚀');
  });

  it('renders internal failures as a 500 problem without internals', async () => {
    const broken = await createHarness();
    const token = await broken.login('admin');
    await broken.db.close(); // the database disappears under the app
    const res = await broken.api.get('/v1/products').set(broken.auth(token));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(res.body)).not.toMatch(/prisma|pool|stack|select/i);
    await broken.close().catch(() => {});
  });

  it('serves the OpenAPI document built from the route table, and its rendering', async () => {
    const res = await h.api.get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/v1/customers'].post.requestBody.content['application/json'].schema.properties.name).toBeDefined();
    expect(res.body.paths['/v1/products/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    const docs = await h.api.get('/docs/').expect(200);
    expect(docs.text).toMatch(/swagger/i);
  });
});
