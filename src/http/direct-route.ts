/**
 * A route served before Express's router: POST /v1/validate, called at every application start.
 *
 * The steps are the ones every route takes — request id, metric and request log
 * (request-context.ts), the response headers the app sets for this path, then the very handler
 * mountRoutes builds (authenticate → body → schema → handler → JSON; the body read by
 * json-body.ts's fastJsonBody, which hands anything unusual to express.json), and the one error rendering
 * (error-handler.ts) — only without walking the router's layers and the middleware chain, which
 * cost more per validation than the JSON parse and the zod parse together (bench/README.md).
 *
 * Only the exact path is taken (no query string, no trailing slash): any other spelling still
 * reaches the same handler through Express, whose answer is the same.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';
import type { Request, Response } from 'express';
import type { Services } from '../services';
import { requestLogger } from '../logger';
import { renderProblem, sendProblem } from './error-handler';
import { routeHandler } from './mount-routes';
import { startRequest } from './request-context';
import type { RouteDefinition } from './route';

export type DirectRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export function directRoute(services: Services, app: express.Express, route: RouteDefinition, headers: readonly (readonly [string, string])[]): DirectRoute {
  if (route.path.includes(':')) throw new Error(`directRoute: ${route.path} has parameters; only fixed paths are served directly`);
  const method = route.method.toUpperCase();
  const handler = routeHandler(services, route, { fastBody: true });
  const log = requestLogger(services.logger);
  const routeName = () => route.path;

  const fail = (req: Request, res: Response, error: unknown) => {
    if (res.headersSent) return;
    sendProblem(res, renderProblem(services.logger, error, String(res.locals.requestId), route.path));
  };

  return (incoming, outgoing) => {
    if (incoming.method !== method || incoming.url !== route.path) return false;
    // The request and response as Express's own (what app.handle does): the handler reads
    // req.ip with the app's trust-proxy setting, req.is(), res.locals — the same getters. On the
    // app's own server (express-server.ts) they already are, and these calls change nothing.
    const req = Object.setPrototypeOf(incoming, app.request) as Request;
    const res = Object.setPrototypeOf(outgoing, app.response) as Response;
    req.res = res;
    res.req = req;
    res.locals = Object.create(null) as Response['locals'];
    req.params = {};
    res.locals.requestId = startRequest(log, services.metrics, req, res, routeName);
    for (const [name, value] of headers) res.setHeader(name, value);
    handler(req, res).catch((error: unknown) => fail(req, res, error));
    return true;
  };
}
