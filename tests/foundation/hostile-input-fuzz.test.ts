/**
 * Hostile input against every route of the route table, authenticated as a caller the route
 * admits (staff: its first role; subject: a real session; licence: a real token from
 * POST /v1/validate), so the hostile parts reach the parser, the schemas and — where a valid
 * body is known — the use cases and the database. Whatever arrives, the answer is never a 5xx;
 * a 4xx is application/problem+json with its code and request id; a 400 for a bad field points
 * at it. New routes are covered the moment they enter the route table.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Test } from 'supertest';
import { z } from 'zod';
import type { RouteDefinition } from '../../src/http/route';
import { allRoutes } from '../../src/route-table';
import { buildCustomer, buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld, type SubjectWorld } from '../privacy/support/subject-world';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

jest.setTimeout(180_000);

let h: Harness;
let world: SubjectWorld;
let licenceKey: string;
let productCode: string;
let licenceToken: string;
let subjectToken: string;
const ids: Record<string, string> = {};
const staffTokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-fuzz-')) });
  for (const role of ['support', 'privacy_officer', 'admin', 'auditor'] as const) staffTokens[role] = await h.login(role);
  world = await buildSubjectWorld(h);
  const own = await buildLicence(h, { holderId: world.contactId, policy: { maxMachines: 50, maxUsers: 50 } });
  licenceKey = own.key;
  productCode = own.product.code;
  const validation = await validate(h, validateBody(own.key, own.product.code, aDevice())).expect(200);
  licenceToken = validation.body.token;
  subjectToken = (await h.services.sessions.issueSubject(world.contactId, 3600)).token;
  const contact = await h.services.prisma.contact.findUniqueOrThrow({ where: { id: world.contactId } });
  const alert = await h.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: world.licenceId } });
  const dpo = h.auth(staffTokens.privacy_officer);
  const request = await h.api.post('/v1/privacy/requests').set(dpo).send({ contactId: world.contactId, type: 'access', channel: 'email' }).expect(201);
  const breach = await h.api.post('/v1/breaches').set(dpo).send(SAMPLE_BODIES['POST /v1/breaches']()).expect(201);
  const throwawayStaff = await h.services.prisma.staffUser.create({ data: { email: `fuzz.${randomUUID()}@vendor.test`, passwordHash: 'x', roles: ['support'] } });
  Object.assign(ids, {
    contact: world.contactId, customer: contact.customerId, licence: world.licenceId, device: world.deviceId, alert: alert.id,
    request: request.body.id, breach: breach.body.id, staff: throwawayStaff.id, deletableCustomer: (await buildCustomer(h)).id,
    product: own.product.id, policy: own.policy.id,
  });
});
afterAll(() => h.close());

/** A path with real ids, so a request that passes its schemas reaches a real record. */
function concretePath(route: RouteDefinition): string {
  const p = route.path;
  const id = p.startsWith('/v1/staff/') ? ids.staff
    : p.startsWith('/v1/customers/') ? (route.method === 'delete' ? ids.deletableCustomer : ids.customer)
      : p.startsWith('/v1/contacts/') ? ids.contact
        : p.startsWith('/v1/products/') ? ids.product
          : p.startsWith('/v1/policies/') ? ids.policy
            : p.startsWith('/v1/licences/') ? ids.licence
              : p.includes('fraud') ? ids.alert
                : p.startsWith('/v1/privacy/requests/') ? ids.request
                  : p.startsWith('/v1/breaches/') ? ids.breach
                    : randomUUID();
  return p.replace(':deviceId', ids.device).replace(':contactId', ids.contact).replace(':id', id);
}

/** A body each route accepts, so one bad field at a time reaches past the other fields' checks. */
const SAMPLE_BODIES: Record<string, () => Record<string, unknown>> = {
  'POST /v1/staff/sessions': () => ({ email: 'nobody@vendor.test', password: 'wrong password' }),
  'POST /v1/staff': () => ({ email: `s.${randomUUID()}@vendor.test`, password: 'a long enough passphrase', roles: ['auditor'] }),
  'POST /v1/customers': () => ({ name: `Fuzz ${randomUUID()}`, country: 'BE', vatNumber: 'BE0123456789', agreementStartsAt: '2026-01-01T00:00:00Z', agreementEndsAt: '2027-01-01T00:00:00Z' }),
  'PATCH /v1/customers/:id': () => ({ name: 'Gemeente Fuzz', country: 'BE', agreementEndsAt: null }),
  'POST /v1/contacts': () => ({ customerId: ids.customer, firstName: 'Fuzz', lastName: 'Tester', email: `f.${randomUUID()}@gemeente.test`, phone: '+32 2 123 45 67', roles: ['billing'] }),
  'PATCH /v1/contacts/:id': () => ({ jobTitle: 'Aankoper', department: 'ICT' }),
  'POST /v1/products': () => ({ code: `F${randomUUID().replace(/-/g, '').slice(0, 6)}`, name: 'Fuzz product' }),
  'PATCH /v1/products/:id': () => ({ name: 'Renamed product' }),
  'POST /v1/policies': () => ({ productId: ids.product, name: `Fuzz ${randomUUID()}`, maxMachines: 3, maxUsers: 2, durationDays: 365, entitlements: ['core'] }),
  'PATCH /v1/policies/:id': () => ({ maxMachines: 50, maxUsers: 50 }),
  'POST /v1/telemetry': () => ({ batchId: randomUUID(), product: productCode, app: { version: '5.2.1', os: 'Windows 11' }, events: [{ type: 'feature', name: 'export', at: new Date().toISOString(), durationMs: 5, props: { n: 1 } }] }),
  'POST /v1/validate': () => validateBody(licenceKey, productCode, aDevice()),
  'POST /v1/licences': () => ({ policyId: ids.policy, holderId: ids.contact, customerId: ids.customer, validFrom: '2026-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z', entitlements: ['extra'] }),
  'POST /v1/licences/:id/actions/suspend': () => ({ reason: 'fuzz' }),
  'POST /v1/licences/:id/actions/reinstate': () => ({ reason: 'fuzz' }),
  'POST /v1/licences/:id/devices/:deviceId/actions/release': () => ({ reason: 'fuzz', overrideTransferBudget: true }),
  'POST /v1/fraud/alerts/:id/decision': () => ({ decision: 'under_review', reason: 'looking' }),
  'POST /v1/fraud/alerts/:id/comments': () => ({ body: 'a comment' }),
  'POST /v1/privacy/me/fraud-alerts/:id/contest': () => ({ reason: 'it was me, reinstalled' }),
  'POST /v1/privacy/verification': () => ({ email: world.email }),
  'POST /v1/privacy/sessions': () => ({ email: world.email, code: '123456' }),
  'PATCH /v1/privacy/me': () => ({ jobTitle: 'Aankoper' }),
  'POST /v1/privacy/me/requests': () => ({ type: 'access', reason: 'curious' }),
  'POST /v1/privacy/requests': () => ({ contactId: ids.contact, type: 'objection', channel: 'letter', receivedAt: '2026-01-01T00:00:00Z', identityMethod: 'signed letter', scope: ['telemetry'], reason: 'r' }),
  'POST /v1/privacy/requests/:id/actions/verify-identity': () => ({ method: 'called back on the number on record' }),
  'POST /v1/privacy/requests/:id/actions/extend': () => ({ months: 1, reason: 'complex' }),
  'POST /v1/privacy/requests/:id/actions/reject': () => ({ reason: 'manifestly unfounded' }),
  'PATCH /v1/privacy/subjects/:contactId/processing': () => ({ restricted: false, objections: { telemetry: false } }),
  'POST /v1/retention/runs': () => ({ dryRun: true }),
  'POST /v1/breaches': () => ({
    title: 'Laptop lost', description: 'A support laptop was lost', awareAt: new Date().toISOString(), categories: ['contact data'],
    approxSubjects: 3, approxRecords: 10, measures: 'remote wipe',
  }),
  'PATCH /v1/breaches/:id': () => ({ measures: 'remote wipe done' }),
};

/** A query each route accepts. */
const SAMPLE_QUERIES: Record<string, () => Record<string, string>> = {
  'GET /v1/telemetry/stats': () => ({ product: productCode, from: '2026-01-01', to: '2026-02-01', groupBy: 'feature' }),
  'GET /v1/contacts': () => ({ customerId: ids.customer }),
  'GET /v1/licences': () => ({ q: 'jan', limit: '10' }),
  'GET /v1/audit': () => ({ subjectId: ids.contact, limit: '10' }),
};

const UNICODE = 'Zoë \u202Eexe.gpj\u202C \u200B\u200D\uFEFF مريم 山田 🚀 \uD800 \u0000 end';
const LONG = 'x'.repeat(10_000);
const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Values put in each field in turn: wrong types, extremes, hostile strings. */
const HOSTILE_VALUES: unknown[] = [
  123, -1, 1.5, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 1e300, true, null, [], {}, [1, 'a'], { a: 1 }, '', ' ', LONG, UNICODE, '\u0000',
  '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0000-12-31T23:30:00-01:00', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59-05:00', '2026-02-30T00:00:00Z', '00000000-0000-0000-0000-000000000000',
  JSON.parse('{"__proto__":{"polluted":true}}'), ['__proto__'],
];

const label = (r: RouteDefinition) => `${r.method.toUpperCase()} ${r.path}`;
const needsBody = (r: RouteDefinition) => r.method !== 'get' && r.method !== 'delete';

/** The object schema under refinements, transforms and defaults, for its keys. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | null {
  let s = schema as unknown as { def?: { type: string; in?: unknown; innerType?: unknown }; shape?: Record<string, z.ZodType> } | undefined;
  for (let i = 0; s && i < 10; i++) {
    if (s.shape) return s.shape;
    s = (s.def?.in ?? s.def?.innerType) as typeof s;
  }
  return null;
}

function authorise(route: RouteDefinition, req: Test): Test {
  const a = route.access;
  if (a.kind === 'staff') return req.set('Authorization', `Bearer ${staffTokens[a.roles[0]]}`).set('X-Purpose', 'fuzz ticket #1');
  if (a.kind === 'subject') return req.set('Authorization', `Bearer ${subjectToken}`);
  if (a.kind === 'licence') return req.set('Authorization', `Bearer ${licenceToken}`);
  return req;
}

interface Probe { name: string; path?: string; query?: string; contentType?: string; headers?: Record<string, string>; body?: string | Buffer; fieldAtFault?: string; expectStatus?: number }

function send(route: RouteDefinition, probe: Probe): Test {
  const url = (probe.path ?? concretePath(route)) + (probe.query !== undefined ? `?${probe.query}` : '');
  const req = authorise(route, (h.api as unknown as Record<string, (u: string) => Test>)[route.method](url));
  // Each request from its own address: the per-address rate limits are tested elsewhere.
  req.set('X-Forwarded-For', `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
  for (const [name, value] of Object.entries(probe.headers ?? {})) req.set(name, value);
  if (probe.body === undefined) return req;
  req.set('Content-Type', probe.contentType ?? 'application/json');
  return req.send(probe.body);
}

/** What is wrong with the answer to a probe, or null. */
function problemWith(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, probe: Probe): string | null {
  if (res.status >= 500) {
    const logged = h.logs.filter((line) => line.includes(String(res.body.requestId))).join(' ').slice(0, 600);
    return `answered ${res.status}; logged: ${logged}`;
  }
  if (probe.expectStatus && res.status !== probe.expectStatus) return `answered ${res.status}, expected ${probe.expectStatus}`;
  if (res.status < 400) return probe.fieldAtFault ? `accepted (${res.status}) a bad ${probe.fieldAtFault}` : null;
  if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) return `${res.status} is ${res.headers['content-type']}, not problem+json`;
  if (typeof res.body.code !== 'string' || typeof res.body.requestId !== 'string' || !res.body.requestId) return `${res.status} without code or requestId`;
  if (res.body.status !== res.status) return `problem status ${String(res.body.status)} ≠ ${res.status}`;
  if (res.status === 400 && res.body.code === 'VALIDATION_FAILED') {
    const errors = res.body.errors as { pointer: unknown; detail: unknown }[] | undefined;
    if (!Array.isArray(errors) || errors.length === 0) return '400 without errors';
    if (errors.some((e) => typeof e.pointer !== 'string' || !/^(\/|$)/.test(e.pointer) || typeof e.detail !== 'string')) return `bad pointers ${JSON.stringify(errors)}`;
    if (probe.fieldAtFault && !errors.some((e) => (e.pointer as string).startsWith(probe.fieldAtFault!))) {
      return `no pointer to ${probe.fieldAtFault}: ${JSON.stringify(errors).slice(0, 300)}`;
    }
  } else if (probe.fieldAtFault && res.status === 400 && !(res.body.errors as unknown[] | undefined)?.length) {
    return `400 ${String(res.body.code)} without a pointer to ${probe.fieldAtFault}`;
  }
  return null;
}

function bodyProbes(route: RouteDefinition): Probe[] {
  const shape = objectShape(route.body);
  const keys = shape ? Object.keys(shape) : ['a'];
  const first = keys[0];
  const sample = SAMPLE_BODIES[label(route)]?.() ?? {};
  const probes: Probe[] = [
    ...['[]', '"a string"', '42', 'null', 'true', 'false', '[{}]', '{}', '', '{"a":', '1e400', '-0'].map((body) => ({ name: `raw ${body || '(empty)'}`, body })),
    { name: '10,000 nested arrays', body: deepArrays(10_000) },
    { name: '5,000 nested objects', body: deepObjects(5_000) },
    { name: 'nested arrays in a field', body: `{"${first}":${deepArrays(10_000)}}` },
    { name: 'duplicate key', body: `{"${first}":1,"${first}":2}` },
    { name: 'duplicate key behind deep nesting', body: `{"zz":${deepArrays(10_000)},"${first}":1,"${first}":2}` },
    { name: '__proto__ and constructor', body: JSON.stringify({ ...sample }).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},').replace(/,\}$/, '}') },
    { name: 'invalid UTF-8', body: Buffer.concat([Buffer.from(`{"${first}":"`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) },
    { name: 'invalid UTF-8 in a key', body: Buffer.concat([Buffer.from('{"'), Buffer.from([0xff, 0xc0]), Buffer.from('":1}')]) },
    { name: 'text/plain', contentType: 'text/plain', body: JSON.stringify(sample) },
    { name: 'form-urlencoded', contentType: 'application/x-www-form-urlencoded', body: `${first}=1&${first}=2&__proto__[x]=1` },
    { name: 'xml', contentType: 'application/xml', body: '<a/>' },
    { name: 'multipart', contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' },
    { name: 'utf-16 JSON', contentType: 'application/json; charset=utf-16', body: Buffer.from(JSON.stringify(sample), 'utf16le') },
    { name: 'latin1 JSON', contentType: 'application/json; charset=iso-8859-1', body: JSON.stringify(sample) },
    { name: 'gzip claimed, not sent', headers: { 'Content-Encoding': 'gzip' }, body: JSON.stringify(sample) },
    { name: 'unknown encoding', headers: { 'Content-Encoding': 'br, zz' }, body: JSON.stringify(sample) },
    { name: 'every field null', body: JSON.stringify(Object.fromEntries(keys.map((k) => [k, null]))) },
    { name: 'every field 10 kB', body: JSON.stringify(Object.fromEntries(keys.map((k) => [k, LONG]))) },
  ];
  for (const value of HOSTILE_VALUES) {
    probes.push({ name: `every field ${JSON.stringify(value)?.slice(0, 30)}`, body: JSON.stringify(Object.fromEntries(keys.map((k) => [k, value]))) });
  }
  if (shape) {
    for (const key of keys) {
      for (const value of [...HOSTILE_VALUES, 1e400]) {
        const fieldRefuses = !shape[key].safeParse(value).success;
        const text = JSON.stringify({ ...sample, [key]: value === 1e400 ? '__HUGE__' : value }).replace('"__HUGE__"', '1e400');
        probes.push({ name: `${key} = ${String(JSON.stringify(value) ?? value).slice(0, 30)}`, body: text, fieldAtFault: fieldRefuses && value !== 1e400 ? `/${key}` : undefined });
      }
    }
  }
  return probes;
}

function queryProbes(route: RouteDefinition): Probe[] {
  const keys = Object.keys(objectShape(route.query) ?? { limit: 1, q: 1 });
  const sample = SAMPLE_QUERIES[label(route)]?.() ?? {};
  const base = new URLSearchParams(sample).toString();
  const withBase = (q: string) => (base ? `${base}&${q}` : q);
  const probes: Probe[] = [
    { name: 'repeated limit', query: withBase('limit=1&limit=2') },
    { name: 'huge limit', query: withBase('limit=99999999999999999999999') },
    { name: 'limit 1e400', query: withBase('limit=1e400') },
    { name: 'bracket array', query: withBase('q[]=a&q[]=b') },
    { name: 'bracket object', query: withBase('q[a]=b&__proto__[polluted]=1&constructor[prototype][polluted]=1') },
    { name: 'invalid percent-encoding', query: withBase('%ff=%fe&q=%E0%A4%A') },
    { name: 'NUL', query: withBase('q=%00') },
    { name: 'unknown key', query: withBase('zz=1') },
  ];
  for (const key of keys) {
    for (const value of [`${key}=a&${key}=b`, `${key}=99999999999999999999999999999`, `${key}=-99999999999999999999999999999`, `${key}=1e400`, `${key}=${LONG}`,
      `${key}=${encodeURIComponent(UNICODE.replace('\uD800', ''))}`, `${key}=%00`, `${key}=`, `${key}[a]=1`, `${key}=0000-01-01T00:00:00Z`, `${key}=NaN`]) {
      const rest = new URLSearchParams(sample);
      rest.delete(key);
      probes.push({ name: `query ${value.slice(0, 40)}`, query: [rest.toString(), value].filter(Boolean).join('&') });
    }
  }
  return probes;
}

const NONE_ALG_TOKEN = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","aud":"nomina:staff","iss":"nomina"}').toString('base64url')}.`;

function headerProbes(route: RouteDefinition): Probe[] {
  const probes: Probe[] = [
    { name: 'X-Purpose of 10 kB', headers: { 'X-Purpose': LONG } },
    { name: 'X-Request-Id of 10 kB', headers: { 'X-Request-Id': LONG } },
  ];
  if (route.access.kind === 'public') return probes;
  return [...probes, ...[`Bearer ${LONG}`, 'Bearer a.b.c', `Bearer ${NONE_ALG_TOKEN}`, 'Basic YTpi', 'Bearer', `Bearer ${'%00'}`]
    .map((authorization) => ({ name: `Authorization ${authorization.slice(0, 24)}`, headers: { Authorization: authorization }, expectStatus: 401 }))];
}

function paramProbes(route: RouteDefinition): Probe[] {
  if (!route.path.includes(':')) return [];
  return ['not-a-uuid', '%00', 'x'.repeat(300), '..%2F..%2Fetc', '00000000-0000-0000-0000-000000000000', encodeURIComponent(UNICODE.replace('\uD800', '')), '%ff%fe']
    .map((bad) => ({ name: `param ${bad.slice(0, 20)}`, path: route.path.replace(/:[A-Za-z]+/g, bad) }));
}

/** Stored secrets and lookup material: none may appear in any answer, under any name. */
const SECRET_FIELD = /(Enc|Index|Digest|Hash)$|^(keyDigest|codeHash|passwordHash|wrappedKey|privateKey|privateKeyEnc|openKey|d)$/;
const ALLOWED_HASH_FIELDS = new Set(['hash']); // the audit chain's own link, public by design

function secretFields(value: unknown, pointer = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(SECRET_FIELD.test(key) && !ALLOWED_HASH_FIELDS.has(key) ? [`${pointer}/${key}`] : []),
    ...secretFields(item, `${pointer}/${key}`),
  ]);
}

describe('every route with a valid request', () => {
  it('answers through presenters: no stored secret, digest, blind index or sealed field leaves, and no clear key outside issue and rotation', async () => {
    const failures: string[] = [];
    let successes = 0;
    const licence = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: ids.licence } });
    for (const route of allRoutes()) {
      const query = SAMPLE_QUERIES[label(route)]?.();
      const res = await send(route, {
        name: 'sample', query: query ? new URLSearchParams(query).toString() : undefined,
        body: needsBody(route) ? JSON.stringify(SAMPLE_BODIES[label(route)]?.() ?? {}) : undefined,
      }).buffer(true);
      if (res.status < 300) successes += 1;
      const text = typeof res.text === 'string' ? res.text : JSON.stringify(res.body ?? null);
      let parsed: unknown = null;
      try { parsed = JSON.parse(text); } catch { parsed = null; }
      const leaked = secretFields(parsed);
      if (leaked.length > 0) failures.push(`${label(route)} → ${res.status} carries ${leaked.join(', ')}`);
      if (text.includes(licence.keyDigest)) failures.push(`${label(route)} carries a key digest`);
      if (!/licences(\/:id\/actions\/rotate-key)?$/.test(route.path) && text.includes(licenceKey)) failures.push(`${label(route)} carries a clear licence key`);
    }
    expect(failures).toEqual([]);
    expect(successes).toBeGreaterThan(allRoutes().length / 2);
  });
});

describe('every route under hostile input', () => {
  const routes = allRoutes();
  it.each(routes.map((r) => [label(r), r] as const))('%s never answers 5xx and always answers problems properly', async (_name, route) => {
    const probes = [...(needsBody(route) ? bodyProbes(route) : []), ...queryProbes(route), ...paramProbes(route), ...headerProbes(route)];
    const failures: string[] = [];
    for (const probe of probes) {
      const res = await send(route, probe);
      const problem = problemWith(res as never, probe);
      if (problem) failures.push(`${probe.name}: ${problem}`);
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the JSON body pipeline', () => {
  const products = () => h.api.post('/v1/products').set('Authorization', `Bearer ${staffTokens.admin}`);

  it('finds a duplicate key behind a deeply nested value (the scan used to overflow and give up)', async () => {
    const res = await products().set('Content-Type', 'application/json').send(`{"zz":${deepArrays(10_000)},"code":"AB","code":"CD","name":"x"}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON' });
    const shallow = await products().set('Content-Type', 'application/json').send(`{"zz":${deepArrays(3)},"code":"AB","code":"CD","name":"x"}`);
    expect(shallow.body.errors).toEqual([{ pointer: '/code', detail: 'duplicate key' }]);
  });

  it('refuses nesting deeper than any route reads, pointing at where it went too deep', async () => {
    const res = await products().set('Content-Type', 'application/json').send(`{"name":${deepArrays(40)}}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ detail: 'nested too deeply', pointer: expect.stringMatching(/^\/name(\/0)+$/) });
  });

  it('refuses JSON in another charset than UTF-8 (the duplicate-key scan reads UTF-8)', async () => {
    const text = '{"code":"AB","code":"CD","name":"x"}';
    const res = await products().set('Content-Type', 'application/json; charset=utf-16le').send(Buffer.from(text, 'utf16le'));
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a chunked body that is not JSON instead of reading it as {}', async () => {
    const before = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: world.licenceId } });
    const server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // No Content-Length: node sends the body chunked.
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/v1/licences/${world.licenceId}/actions/suspend`,
          headers: { Authorization: `Bearer ${staffTokens.support}`, 'Content-Type': 'text/plain' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', reject);
        req.write('reason=');
        req.end('hostile');
      });
      expect(status).toBe(415);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect((await h.services.prisma.licence.findUniqueOrThrow({ where: { id: world.licenceId } })).status).toBe(before.status);
  });

  it('refuses NUL characters in the body, the query and the path with a pointer (PostgreSQL text cannot hold them)', async () => {
    const body = await products().send({ code: 'NUL1', name: 'a\u0000b' });
    expect(body.status).toBe(400);
    expect(body.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/name' })]));
    const query = await h.api.get('/v1/licences?q=a%00b').set('Authorization', `Bearer ${staffTokens.support}`);
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([{ pointer: '/query/q', detail: 'NUL characters are not allowed' }]);
    const key = await products().set('Content-Type', 'application/json').send('{"code":"NUL2","name":"x","a\\u0000":1}');
    expect(key.status).toBe(400);
    expect(key.body.errors).toEqual([{ pointer: '/a\u0000', detail: 'NUL characters are not allowed' }]);
  });

  it('answers a path segment that is not percent-encoded UTF-8 with a 400 problem', async () => {
    const res = await h.api.get('/v1/licences/%ff%fe').set('Authorization', `Bearer ${staffTokens.support}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/params' }] });
  });
});
