/**
 * The OpenAPI document is one a client generator can rely on. Generic over the route table: a
 * route added anywhere must describe its success response with a schema, its errors, its headers
 * and its security, or this suite fails. That the schemas are true is proven elsewhere: with
 * config.checkResponses (on in every test) each real response is checked against its schema.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOpenApi } from '../../src/http/openapi';
import type { RouteDefinition } from '../../src/http/route';
import { allRoutes } from '../../src/route-table';

const routes = allRoutes();
const doc = buildOpenApi(routes) as { paths: Record<string, Record<string, Operation>> };
interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters: { name: string; in: string }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
}
const label = (r: RouteDefinition) => `${r.method.toUpperCase()} ${r.path}`;
const operationOf = (r: RouteDefinition) => doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')][r.method];

/** Calls whose examples integrators copy first: the desktop SDK's, the licence holder's and a shop's. */
const MUST_HAVE_EXAMPLES = [
  'POST /v1/validate', 'POST /v1/telemetry',
  'POST /v1/privacy/verification', 'POST /v1/privacy/sessions', 'POST /v1/privacy/me/requests',
  'POST /v1/staff/sessions', 'POST /v1/customers', 'POST /v1/contacts', 'POST /v1/products', 'POST /v1/policies', 'POST /v1/licences',
];

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 according to an independent validator', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nomina-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
    let output: string;
    try {
      output = execFileSync(process.execPath, [cli, file], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`the validator refused the document:\n${(error as { stdout?: string }).stdout?.slice(0, 4000)}`);
    }
    expect(JSON.parse(output)).toMatchObject({ valid: true });
  });

  it.each(routes.map((r) => [label(r), r] as const))('%s describes its success response with a schema', (_name, route) => {
    expect(route.response).toBeDefined();
    const { status, schema } = route.response!;
    if (status === 204) expect(schema).toBeUndefined();
    else expect(schema).toBeDefined();
    const described = operationOf(route).responses[String(status)];
    if (status !== 204) expect(Object.values(described.content ?? {})[0]?.schema).toBeDefined();
  });

  it.each(routes.map((r) => [label(r), r] as const))('%s declares its problem responses, security and headers', (_name, route) => {
    const op = operationOf(route);
    const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
    expect(errors).toEqual(expect.arrayContaining(['500', '503']));
    if (route.body || route.query || route.params) expect(errors).toContain('400');
    if (route.access.kind !== 'public') expect(errors).toContain('401');
    if (route.access.kind === 'staff') expect(errors).toContain('403');
    for (const status of errors) expect(op.responses[status].$ref).toBe(`#/components/responses/Problem${status}`);

    const expected = { public: [], staff: [{ staffToken: [] }], subject: [{ subjectToken: [] }], licence: [{ licenceToken: [] }] }[route.access.kind];
    // A route open to API keys also names the scopes that admit one; a key has its own rate limit.
    const scopes = route.access.kind === 'staff' ? route.access.scopes : undefined;
    expect(op.security).toEqual(scopes ? [...expected, { apiKey: [...scopes] }] : expected);
    if (scopes) expect(errors).toContain('429');

    // A handler that reads the purpose reads personal data: the header must be declared.
    const source = route.handler.toString();
    if (/\bpurpose\b/.test(source)) expect(route.readsPersonalData).toBe(true);
    if (route.readsPersonalData) expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'X-Purpose', in: 'header' }));
    if (/rateLimits\.consume/.test(source)) expect(route.rateLimited).toBe(true);
    if (route.rateLimited) expect(errors).toContain('429');
    if (/assert\w*Allowed\(/.test(source)) expect(route.problems ?? []).toContain('PROCESSING_RESTRICTED');
  });

  it('gives 429 the Retry-After and RateLimit headers', () => {
    const components = (doc as unknown as { components: { responses: Record<string, { headers?: Record<string, unknown> }> } }).components;
    expect(Object.keys(components.responses.Problem429.headers ?? {})).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']));
    expect(Object.keys(components.responses.Problem503.headers ?? {})).toContain('Retry-After');
  });

  it('has unique operation ids', () => {
    const ids = routes.map((r) => operationOf(r).operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(MUST_HAVE_EXAMPLES)('%s has request and response examples', (name) => {
    const route = routes.find((r) => label(r) === name);
    expect(route).toBeDefined();
    if (route!.body) expect(route!.example).toBeDefined();
    expect(route!.response?.example).toBeDefined();
  });

  it.each(routes.filter((r) => r.example !== undefined || r.response?.example !== undefined).map((r) => [label(r), r] as const))(
    '%s has examples its own schemas accept', (_name, route) => {
      if (route.example !== undefined) expect(route.body!.safeParse(route.example).error?.issues ?? []).toEqual([]);
      if (route.response?.example !== undefined) expect(route.response.schema!.safeParse(route.response.example).error?.issues ?? []).toEqual([]);
    },
  );

  it('points to no document outside the repository', () => {
    expect(JSON.stringify(doc)).not.toMatch(/DESIGN|shared folder/);
  });
});
