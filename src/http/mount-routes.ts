/**
 * Turns the route table into Express routes. The pipeline is the same for every route:
 * authenticate (deny by default) → parse the body → validate params, query, body → handler →
 * JSON response. Express 5 forwards rejected promises to the error handler.
 */
import { Router, type Request, type Response } from 'express';
import type { ZodType } from 'zod';
import type { Services } from '../services';
import { authenticate } from './authenticate';
import { zodToAppError } from './error-handler';
import { bodyMayHoldNul, fastJsonBody, jsonBody, promisedJsonBody } from './json-body';
import { AppError, jsonPointer } from './problem';
import { checkPurpose } from '../staff/purpose';
import type { RouteContext, RouteDefinition } from './route';

/**
 * The pointer to the first string (value or key) holding a NUL character, or null. PostgreSQL text
 * cannot store NUL: such a value would fail in the database as a 500 instead of a 400 here.
 */
export function findNul(value: unknown, pointer = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer || '/' : null;
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [key, item] of Object.entries(value)) {
    const at = pointer + jsonPointer([key]);
    if (key.includes('\u0000')) return at;
    const found = findNul(item, at, depth + 1);
    if (found) return found;
  }
  return null;
}

function refuseNul(value: unknown, root: '' | '/query' | '/params'): void {
  const pointer = findNul(value, root);
  if (pointer) throw new AppError('VALIDATION_FAILED', `${pointer}: NUL characters are not allowed`, { errors: [{ pointer, detail: 'NUL characters are not allowed' }] });
}

function parse(schema: ZodType | undefined, value: unknown, root: '' | '/query' | '/params'): unknown {
  if (root !== '') refuseNul(value, root);
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (!result.success) throw zodToAppError(result.error, root);
  return result.data;
}

/** The body as the client receives it (bigints as strings, no undefined), checked against the declared schema. */
function checkResponse(route: RouteDefinition, status: number, body: unknown): void {
  const declared = route.response;
  if (!declared || declared.status !== status) return;
  const fail = (why: string) => {
    const message = `${route.method.toUpperCase()} ${route.path}: ${why}`;
    process.stderr.write(`${message}\n`); // the error handler logs no messages; a test run must show this one
    throw new Error(message);
  };
  if (!declared.schema) {
    if (body !== undefined) fail(`answered a body for ${status}, which declares none`);
    return;
  }
  const json = body === undefined ? undefined : JSON.parse(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  const result = declared.schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues.slice(0, 5).map((i) => `${jsonPointer(i.path as PropertyKey[]) || '/'}: ${i.message}`).join('; ');
    fail(`the response does not match its declared schema (${where})`);
  }
}

/**
 * The handler of one route: authenticate → parse the body → validate params, query, body →
 * handler → JSON response. Errors are thrown (rejected) for the one error handler to render.
 */
export function routeHandler(services: Services, route: RouteDefinition, options: { fastBody?: boolean } = {}): (req: Request, res: Response) => Promise<void> {
  const limit = route.bodyLimit ?? '64kb';
  // fastJsonBody: the direct route's reader (json-body.ts); the router's path keeps express.json,
  // which tests/validation/direct-route.test.ts compares it with.
  const readBody = options.fastBody ? fastJsonBody(limit) : promisedJsonBody(jsonBody(limit));
  const needsBody = route.method !== 'get' && route.method !== 'delete';
  return async (req: Request, res: Response) => {
    // Authenticate before reading the body: an anonymous caller cannot make us parse 256 kB.
    const principals = await authenticate(services, req, route.access);
    if (needsBody) {
      await readBody(req, res);
      if (route.body && req.body === undefined) {
        // A chunked body has no Content-Length: it counts as a body too, or a text/plain one
        // would be read as `{}` and the action run without the fields the caller sent.
        const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
        if (hasBody && !req.is('json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
        req.body = {};
      }
      if (bodyMayHoldNul(req)) refuseNul(req.body, '');
    }
    const purposeHeader = req.headers['x-purpose'];
    const purpose = typeof purposeHeader === 'string' && purposeHeader.trim() ? purposeHeader.trim().slice(0, 200) : null;
    checkPurpose(principals.staff, purpose);
    const ctx = {
      req, res, services,
      requestId: String(res.locals.requestId),
      params: parse(route.params, req.params, '/params'),
      // req.query parses the URL on every read: not done for a route that takes no query and got none.
      query: route.query || req.url.includes('?') ? parse(route.query, req.query, '/query') : {},
      body: needsBody ? parse(route.body, req.body, '') : undefined,
      staff: principals.staff,
      subject: principals.subject,
      purpose,
    } as RouteContext;
    const result = await route.handler(ctx);
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(result?.headers ?? {})) res.setHeader(name, value);
    const status = result?.status ?? 200;
    if (services.config.checkResponses) checkResponse(route, status, result?.body);
    if (result?.body === undefined) res.status(status).end();
    else if (route.etag === false) sendJsonWithoutEtag(res, status, result.body);
    else res.status(status).json(result.body);
  };
}

/**
 * res.json() without the ETag (Express hashes every body it sends; pointless on a no-store answer).
 * The app's replacer (bigints as strings, app.ts) only matters when the body holds a bigint, and
 * JSON.stringify refuses a bigint without it (TypeError): so the body is written without the
 * replacer first — V8's fast path, without a function call for every value (on the verdict ≈ 30 %
 * quicker, bench/README.md) — and again with it only if that throws.
 */
function sendJsonWithoutEtag(res: Response, status: number, body: unknown): void {
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch {
    text = JSON.stringify(body, res.app.get('json replacer') as (key: string, value: unknown) => unknown);
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function mountRoutes(services: Services, routes: RouteDefinition[]): Router {
  const router = Router();
  for (const route of routes) router[route.method](route.path, routeHandler(services, route));
  return router;
}
