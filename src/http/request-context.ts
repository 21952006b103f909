/**
 * Gives every request an id (or keeps a well-formed one from the caller), echoes it in
 * X-Request-Id, and logs one line per request with the route template, status and duration —
 * never the URL, body or client address.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { requestLogger, type Logger } from '../logger';
import type { Metrics } from './metrics';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Starts the request's context: its id (returned, and echoed in X-Request-Id) and, when the
 * response has finished, its metric and request log line. `route` names the matched route
 * template then (or 'unmatched'). Shared by the Express middleware and the direct route.
 */
export function startRequest(log: Logger, metrics: Metrics, req: IncomingMessage, res: ServerResponse, route: () => string): string {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const matched = route();
    metrics.httpDuration.observe({ method: req.method!, route: matched, status: String(res.statusCode) }, seconds);
    log.info({ requestId, method: req.method, route: matched, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
  });
  return requestId;
}

export function requestContext(logger: Logger, metrics: Metrics): RequestHandler {
  const log = requestLogger(logger);
  return (req, res, next) => {
    res.locals.requestId = startRequest(log, metrics, req, res, () => (req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched'));
    next();
  };
}
