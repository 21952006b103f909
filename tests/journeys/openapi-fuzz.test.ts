/**
 * The whole API fuzzed from what it publishes, /openapi.json (issue 10): for every operation,
 * bodies, query and path parameters generated from its schemas with fast-check, and in every id
 * (path parameter or body field of format uuid) a real id, its upper-case form, an unknown UUID
 * or something that is not a UUID at all. Sent with a caller each operation admits (each staff
 * role it lists, a subject session, a licence token). Bounded: a few thousand requests, with a
 * fixed seed printed so a failure can be replayed. Whatever is sent: no 5xx, every error is
 * problem+json, and the audit chain still verifies at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { buildCustomer, buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld } from '../privacy/support/subject-world';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

jest.setTimeout(600_000);

type Schema = Record<string, unknown> & {
  type?: string | string[]; format?: string; pattern?: string; enum?: unknown[]; const?: unknown; $ref?: string;
  anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; properties?: Record<string, Schema>; required?: string[];
  items?: Schema; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number;
  minItems?: number; maxItems?: number; additionalProperties?: boolean | Schema;
};
interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }
interface Operation { description?: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
interface OpenApi { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

const RUNS_PER_CALLER = Number(process.env.FUZZ_RUNS ?? 18);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** e.g. FUZZ_ONLY='processing' to replay the operations whose path matches */
const ONLY = new RegExp(process.env.FUZZ_ONLY ?? '');

let h: Harness;
let spec: OpenApi;
const callers: Record<string, string> = {};
/** real ids by kind: a path or field that names a contact gets mostly contact ids, so it reaches a record */
const realIds: Record<string, string[]> = {};

beforeAll(async () => {
  h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-oafuzz-')) });
  for (const role of ['support', 'privacy_officer', 'admin', 'auditor'] as const) callers[role] = await h.login(role);
  const world = await buildSubjectWorld(h);
  const own = await buildLicence(h, { holderId: world.contactId, policy: { maxMachines: 1000, maxUsers: 1000 } });
  callers.licence = (await validate(h, validateBody(own.key, own.product.code, aDevice())).expect(200)).body.token;
  callers.subject = (await h.services.sessions.issueSubject(world.contactId, 3600)).token;
  const dpo = h.auth(callers.privacy_officer);
  const request = await h.api.post('/v1/privacy/requests').set(dpo).send({ contactId: world.contactId, type: 'access', channel: 'email' }).expect(201);
  const alert = await h.services.prisma.fraudAlert.findFirstOrThrow({ where: { licenceId: world.licenceId } });
  const customer = await h.services.prisma.contact.findUniqueOrThrow({ where: { id: world.contactId }, select: { customerId: true } });
  const throwaway = await h.services.prisma.staffUser.create({ data: { email: `fuzz.${randomUUID()}@vendor.test`, passwordHash: 'x', roles: ['support'] } });
  const breach = await h.api.post('/v1/breaches').set(dpo).send({
    title: 'Lost laptop', description: 'A support laptop was lost', awareAt: new Date().toISOString(), categories: ['contact data'],
    approxSubjects: 1, approxRecords: 1, measures: 'Remote wipe',
  }).expect(201);
  Object.assign(realIds, {
    contact: [world.contactId], licence: [world.licenceId, own.licence.id], device: [world.deviceId], policy: [own.policy.id], product: [own.product.id],
    customer: [customer.customerId, (await buildCustomer(h)).id], alert: [alert.id], request: [request.body.id], staff: [throwaway.id],
    breach: [breach.body.id],
  });
  spec = (await h.api.get('/openapi.json').expect(200)).body as OpenApi;
});
afterAll(() => h.close());

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  return resolve(spec.components?.schemas?.[name] ?? {});
}

const NOT_UUIDS = ['not-a-uuid', '123', '', ' ', '../../etc/passwd', "' OR 1=1 --", '%00', '00000000-0000-0000-0000-00000000000g', 'ÿ'.repeat(40), '{}'];

/** Which kind of record a path parameter or body field names (by its name and the path it is in). */
function kindOf(name: string, pathTemplate: string): string | null {
  const field: Record<string, string> = { contactId: 'contact', holderId: 'contact', customerId: 'customer', policyId: 'policy', productId: 'product', licenceId: 'licence', deviceId: 'device', after: '' };
  if (name in field) return field[name] || null;
  if (name !== 'id') return null;
  const prefixes: [string, string][] = [['/v1/contacts/', 'contact'], ['/v1/customers/', 'customer'], ['/v1/products/', 'product'], ['/v1/policies/', 'policy'],
    ['/v1/licences/', 'licence'], ['/v1/fraud/', 'alert'], ['/v1/privacy/me/fraud-alerts/', 'alert'], ['/v1/privacy/requests/', 'request'], ['/v1/staff/', 'staff'], ['/v1/breaches/', 'breach']];
  return prefixes.find(([prefix]) => pathTemplate.startsWith(prefix))?.[1] ?? null;
}

/** Every form an id may take: real (as stored, upper-case, padded), unknown, or not a UUID. */
function anId(kind: string | null = null): fc.Arbitrary<string> {
  const all = Object.values(realIds).flat();
  const own = kind && realIds[kind]?.length ? realIds[kind] : all;
  const real = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
  return fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 3, arbitrary: real.map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: real.map((id) => ` ${id} `) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...NOT_UUIDS) },
  );
}

function safeRegex(pattern: string): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= 300);
  } catch {
    return null;
  }
}

/** An arbitrary for a JSON Schema: mostly values it allows, sometimes a value of the wrong kind. */
const hostile = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant({}), fc.constant([]));

/** An arbitrary for a value of `raw` named `name` in an operation on `where`; 1 in 25 is of the wrong kind. */
function arbitraryOf(raw: Schema, where: string, depth = 0, name = ''): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  return fc.oneof({ weight: 24, arbitrary: validOf(schema, where, depth, name) }, { weight: 1, arbitrary: hostile });
}

function validOf(schema: Schema, where: string, depth: number, name: string): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, where, depth + 1, name)));
  if (schema.allOf?.length) return arbitraryOf(schema.allOf[0], where, depth + 1, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return anId(kindOf(name, where));
      if (schema.format === 'date-time') return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date') return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= 254);
      const matching = schema.pattern ? safeRegex(schema.pattern) : null;
      if (matching) return matching;
      return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60) });
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
      const integer = fc.integer({ min: Math.max(min, -2_147_483_648), max: Math.min(max, 2_147_483_647) });
      return type === 'integer' ? integer : fc.oneof(integer, fc.double({ min, max, noNaN: true }));
    }
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      return fc.array(arbitraryOf(schema.items ?? {}, where, depth + 1, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, arbitraryOf(s, where, depth + 1, k)])), { requiredKeys: [...required].filter((k) => k in props) });
      // Now and then a field the schema does not know, or a required one missing.
      return fc.oneof(
        { weight: 8, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => ({ ...r, unexpected: 'field' })) },
        { weight: 1, arbitrary: record.map((r) => Object.fromEntries(Object.entries(r).slice(1))) },
      );
    }
    default: return fc.anything({ maxDepth: 2 });
  }
}

/** Who may call an operation, as its description says ("Access: staff. Roles: support, admin."). */
function callersOf(operation: Operation): (string | null)[] {
  const description = operation.description ?? '';
  const roles = /Roles: ([a-z_, ]+)\./.exec(description)?.[1].split(',').map((r) => r.trim()).filter((r) => r in callers);
  if (/Access: staff/.test(description)) return roles?.length ? roles : ['admin'];
  if (/Access: subject/.test(description)) return ['subject'];
  if (/Access: licence/.test(description)) return ['licence'];
  return [null];
}

function requestArbitrary(pathTemplate: string, operation: Operation) {
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => anId(kindOf(p.name, pathTemplate))))
      .map((values) => pathParams.reduce((acc, p, i) => acc.replace(`{${p.name}}`, encodeURIComponent(values[i])), pathTemplate)),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryOf(p.schema ?? { type: 'string' }, pathTemplate, 0, p.name)])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) }),
    body: bodySchema ? arbitraryOf(bodySchema, pathTemplate) : fc.constant(undefined),
  });
}

const asQuery = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));

describe('the API fuzzed from /openapi.json', () => {
  it('answers no 5xx and only problem+json errors to generated requests with id variants, and the audit chain still verifies', async () => {
    const failures: string[] = [];
    let sent = 0;
    const byStatus: Record<number, number> = {};
    // Operations that can end the world's records (erasure, deletion, retention, revocation) go last,
    // so the others meet real records in every id form.
    const ending = (method: string, p: string) => method === 'delete' || /\/me\/requests$|\/requests$|retention|\/actions\/(complete|disable|revoke)$/.test(p) && method === 'post';
    const operations = Object.entries(spec.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path: p, op })))
      .sort((a, b) => Number(ending(a.method, a.path)) - Number(ending(b.method, b.path)));
    expect(operations.length).toBeGreaterThan(50);
    for (const [index, { method, path: template, op }] of operations.entries()) {
      if (template === '/v1/signing-keys/actions/rotate') continue; // each rotation adds a key for good; exercised by its own tests
      if (!ONLY.test(template)) continue;
      for (const caller of callersOf(op)) {
        const samples = fc.sample(requestArbitrary(template, op), { numRuns: RUNS_PER_CALLER, seed: SEED + index });
        for (const sample of samples) {
          let req = h.api[method as 'get'](sample.path).query(asQuery(sample.query)).set('X-Forwarded-For', `10.9.${sent % 250}.${(sent >> 8) % 250}`);
          if (caller) req = req.set(h.auth(callers[caller]));
          // Sent as JSON text, so a body that is not an object (null, a number, true) arrives as such.
          if (method !== 'get' && method !== 'delete' && sample.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(sample.body));
          sent += 1;
          // A response cut off mid-stream (the connection aborted) is a failure too.
          const res = await req.then((r) => r, (error: Error) => ({ status: 599, text: `the request failed: ${error.message}`, headers: {} as Record<string, string> }));
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          if (process.env.FUZZ_VERBOSE) console.log(res.status, method, sample.path, JSON.stringify(sample.body)?.slice(0, 200), res.text.slice(0, 200));
          const what = `${method.toUpperCase()} ${sample.path} as ${caller ?? 'anyone'} ${JSON.stringify(sample.query)} ${JSON.stringify(sample.body)?.slice(0, 300)}`;
          if (res.status >= 500) failures.push(`${res.status} ← ${what}: ${res.text.slice(0, 300)}`);
          else if (res.status >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type']))) failures.push(`${res.status} not problem+json (${res.headers['content-type']}) ← ${what}`);
        }
      }
    }
    console.log(`[openapi fuzz] ${sent} requests over ${operations.length} operations (seed ${SEED}), ${failures.length} failures; answers by status ${JSON.stringify(byStatus)}`);
    if (failures.length) console.log(failures.slice(0, 40).join('\n'));
    expect(failures).toEqual([]);
    if (!process.env.FUZZ_ONLY) expect(sent).toBeGreaterThan(1000);
    expect((await h.api.get('/v1/audit/verify').set(h.auth(callers.auditor)).expect(200)).body).toMatchObject({ ok: true });
  });
});
