/**
 * The OpenAPI 3.1 document, generated from the route table: the zod schemas that validate
 * requests are the ones documented, so the document cannot drift from the code.
 */
import { z, type ZodType } from 'zod';
import type { RouteDefinition } from './route';

const ProblemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status', 'code', 'requestId'],
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

function security(route: RouteDefinition): unknown[] {
  switch (route.access.kind) {
    case 'public': return [];
    case 'staff': return [{ staffToken: [] }];
    case 'subject': return [{ subjectToken: [] }];
    case 'licence': return [];
  }
}

export function buildOpenApi(routes: RouteDefinition[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const roles = route.access.kind === 'staff' ? ` Roles: ${route.access.roles.join(', ')}.` : '';
    const ok = route.response ?? { status: 200, description: 'OK' };
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      description: `Access: ${route.access.kind}.${roles}`,
      tags: [route.tag],
      security: security(route),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses: {
        [ok.status]: { description: ok.description, ...(ok.schema ? { content: { 'application/json': { schema: jsonSchema(ok.schema, 'output') } } } : {}) },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Nomina API', version: '1.0.0', description: 'Licence keys, validation, telemetry and privacy controls. See DESIGN §12.' },
    paths,
    components: {
      schemas: { Problem: ProblemSchema },
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /v1/staff/sessions' },
        subjectToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /v1/privacy/sessions' },
        licenceToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWS', description: 'the token returned by POST /v1/validate' },
      },
    },
  };
}
