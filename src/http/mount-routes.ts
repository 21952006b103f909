/**
 * Turns the route table into Express routes. The pipeline is the same for every route:
 * authenticate (deny by default) → parse the body → validate params, query, body → handler →
 * JSON response. Express 5 forwards rejected promises to the error handler.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ZodType } from 'zod';
import type { Services } from '../services';
import { authenticate } from './authenticate';
import { zodToAppError } from './error-handler';
import { jsonBody } from './json-body';
import { AppError } from './problem';
import type { RouteContext, RouteDefinition } from './route';

function parse(schema: ZodType | undefined, value: unknown, root: '' | '/query' | '/params'): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (!result.success) throw zodToAppError(result.error, root);
  return result.data;
}

export function mountRoutes(services: Services, routes: RouteDefinition[]): Router {
  const router = Router();
  for (const route of routes) {
    const bodyParser = jsonBody(route.bodyLimit ?? '64kb');
    const needsBody = route.method !== 'get' && route.method !== 'delete';
    router[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      // Authenticate before reading the body: an anonymous caller cannot make us parse 256 kB.
      const principals = await authenticate(services, req, route.access);
      if (needsBody) {
        await new Promise<void>((resolve, reject) => bodyParser(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
        if (route.body && req.body === undefined) {
          if (req.headers['content-length'] && req.headers['content-length'] !== '0' && !req.is('json')) {
            throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
          }
          req.body = {};
        }
      }
      const purposeHeader = req.headers['x-purpose'];
      const purpose = typeof purposeHeader === 'string' && purposeHeader.trim() ? purposeHeader.trim().slice(0, 200) : null;
      const ctx = {
        req, res, services,
        requestId: String(res.locals.requestId),
        params: parse(route.params, req.params, '/params'),
        query: parse(route.query, req.query, '/query'),
        body: needsBody ? parse(route.body, req.body, '') : undefined,
        staff: principals.staff,
        subject: principals.subject,
        purpose,
      } as RouteContext;
      const result = await route.handler(ctx);
      if (res.headersSent) return;
      for (const [name, value] of Object.entries(result?.headers ?? {})) res.setHeader(name, value);
      const status = result?.status ?? 200;
      if (result?.body === undefined) res.status(status).end();
      else res.status(status).json(result.body);
      void next;
    });
  }
  return router;
}
