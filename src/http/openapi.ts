/**
 * The OpenAPI 3.1 document, generated from the route table: the zod schemas that validate
 * requests and describe responses are the ones documented, so the document cannot drift from the
 * code (tests check real responses against the response schemas, and examples against both).
 */
import { z, type ZodType } from 'zod';
import { PROBLEMS, type ProblemCode } from './problem';
import type { RouteDefinition } from './route';

const ProblemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string', examples: ['urn:nomina:problem:validation-failed'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEMS) },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      description: 'the bad fields, as JSON pointers into the request (/query and /params for those parts)',
      items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } }, required: ['pointer', 'detail'] },
    },
  },
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
};

const RATE_LIMIT_HEADERS = {
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
  RateLimit: { description: 'IETF draft RateLimit header: `limit=N, remaining=0, reset=S`', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'IETF draft RateLimit-Policy header: `N;w=WINDOW_SECONDS`', schema: { type: 'string' } },
};

const ERROR_RESPONSES: Record<number, { description: string; headers?: Record<string, unknown> }> = {
  400: { description: 'The request is not valid (see `errors` for the fields)' },
  401: { description: 'Authentication is missing, invalid or expired' },
  403: { description: 'Not allowed (role, purpose or licence state)' },
  404: { description: 'Not found (or not yours)' },
  409: { description: 'Conflicts with the current state' },
  413: { description: 'The body is too large' },
  415: { description: 'The body is not application/json' },
  422: { description: 'The request cannot be carried out' },
  429: { description: 'Too many requests', headers: RATE_LIMIT_HEADERS },
  500: { description: 'Internal error (no details; quote the requestId)' },
  503: { description: 'Temporarily unavailable', headers: { 'Retry-After': RATE_LIMIT_HEADERS['Retry-After'] } },
};

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property,
  }));
}

const PURPOSE_PARAMETER = {
  name: 'X-Purpose',
  in: 'header',
  required: false,
  description: 'Why you read this personal data (e.g. a ticket reference). Recorded in the audit trail and shown to the person in '
    + 'their export; the support role needs one to see unmasked data.',
  schema: { type: 'string', maxLength: 200 },
  example: 'ticket 4711: holder cannot start the app',
};

function security(route: RouteDefinition): unknown[] {
  switch (route.access.kind) {
    case 'public': return [];
    case 'staff': return route.access.scopes ? [{ staffToken: [] }, { apiKey: [...route.access.scopes] }] : [{ staffToken: [] }];
    case 'subject': return [{ subjectToken: [] }];
    case 'licence': return [{ licenceToken: [] }];
  }
}

/** The error statuses a route can answer: implied by its access and inputs, plus those it declares. */
export function errorStatuses(route: RouteDefinition): number[] {
  // 500 and 503 (the database or Redis unreachable, with Retry-After) can happen anywhere.
  const statuses = new Set<number>([500, 503]);
  if (route.body || route.query || route.params) statuses.add(400);
  if (route.body) { statuses.add(413); statuses.add(415); }
  if (route.access.kind !== 'public') statuses.add(401);
  if (route.access.kind === 'staff') statuses.add(403);
  if (route.params) statuses.add(404);
  // An API key has its own rate limit on every route it may call.
  if (route.rateLimited || (route.access.kind === 'staff' && route.access.scopes)) statuses.add(429);
  for (const code of route.problems ?? []) statuses.add(PROBLEMS[code as ProblemCode].status);
  return [...statuses].sort();
}

function operation(route: RouteDefinition): Record<string, unknown> {
  const roles = route.access.kind === 'staff'
    ? ` Roles: ${route.access.roles.join(', ')}.${route.access.scopes ? ` API-key scopes: ${route.access.scopes.join(', ')}.` : ' Not open to API keys.'}`
    : '';
  const ok = route.response ?? { status: 200, description: 'OK' };
  const okSchema = ok.published ? { $ref: `#/components/schemas/${ok.published.name}` } : ok.schema ? jsonSchema(ok.schema, 'output') : undefined;
  const okContent = okSchema
    ? { content: { [ok.contentType ?? 'application/json']: { schema: okSchema, ...(ok.example !== undefined ? { example: ok.example } : {}) } } }
    : {};
  const errors = Object.fromEntries(errorStatuses(route).map((status) => [status, { $ref: `#/components/responses/Problem${status}` }]));
  return {
    operationId: operationId(route),
    summary: route.summary,
    description: `Access: ${route.access.kind}.${roles}`,
    tags: [route.tag],
    security: security(route),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...(route.readsPersonalData ? [PURPOSE_PARAMETER] : []),
    ],
    ...(route.body ? {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input'), ...(route.example !== undefined ? { example: route.example } : {}) } },
      },
    } : {}),
    responses: { [ok.status]: { description: ok.description, ...okContent }, ...errors },
  };
}

/** `POST /v1/licences/:id/actions/suspend` → `postV1LicencesIdActionsSuspend`: stable names for generated clients. */
function operationId(route: RouteDefinition): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export function buildOpenApi(routes: RouteDefinition[]): Record<string, unknown> {
  // Schemas published on their own (response.published), e.g. the subject export's JSON Schema.
  const components = Object.fromEntries(routes.flatMap((r) => (r.response?.published ? [[r.response.published.name, r.response.published.schema]] : [])));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, r]) => [`Problem${status}`, {
    description: r.description,
    ...(r.headers ? { headers: r.headers } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  }]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nomina API',
      version: '1.0.0',
      description: 'Licence keys, validation, telemetry and privacy controls. The public contract (what stays stable in v1) '
        + 'is described in docs/public-contract.md of the repository; every error is application/problem+json (RFC 9457).',
    },
    paths,
    components: {
      schemas: { Problem: ProblemSchema, ...components },
      responses,
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /v1/staff/sessions' },
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'nmk_…', description: 'an API key from POST /v1/api-keys; admitted where a route names one of its scopes; answers carry the RateLimit and RateLimit-Policy headers' },
        subjectToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /v1/privacy/sessions' },
        licenceToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWS', description: 'the token returned by POST /v1/validate' },
      },
    },
  };
}
