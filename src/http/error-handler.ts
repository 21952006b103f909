/**
 * The one error handler: everything that goes wrong in a request ends here and leaves as
 * application/problem+json with the request id. Internals (stack traces, SQL, Prisma messages)
 * are logged, never sent.
 */
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { loggableError, sqlStateOf, type Logger } from '../logger';
import { dependencyUnavailable, isDependencyUnavailable } from './dependency-errors';
import { AppError, jsonPointer, problemBody, type FieldError } from './problem';
import { uniqueViolation } from './unique-violation';

export function zodToAppError(error: ZodError, root: '' | '/query' | '/params' = ''): AppError {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = root + jsonPointer(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ pointer: `${base}/${key}`, detail: 'unknown field' });
    } else {
      errors.push({ pointer: base || '/', detail: issue.message });
    }
  }
  return new AppError('VALIDATION_FAILED', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ').slice(0, 500), { errors });
}

/** Maps errors thrown by body-parser, Prisma and zod to AppErrors. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return zodToAppError(error);
  const e = error as { type?: string; code?: string; status?: number; expose?: boolean };
  switch (e?.type) {
    case 'entity.parse.failed': return new AppError('MALFORMED_JSON', 'the body could not be parsed as JSON');
    case 'entity.too.large': return new AppError('PAYLOAD_TOO_LARGE', 'the body exceeds the size limit of this route');
    case 'encoding.unsupported':
    case 'charset.unsupported': return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send UTF-8 encoded JSON');
    case 'request.aborted': return new AppError('VALIDATION_FAILED', 'the request was aborted');
  }
  // The router could not percent-decode a path segment (`/v1/licences/%ff`): the caller's fault.
  if (error instanceof URIError) {
    return new AppError('VALIDATION_FAILED', 'a path segment is not valid percent-encoded UTF-8', { errors: [{ pointer: '/params', detail: 'not valid percent-encoded UTF-8' }] });
  }
  // Prisma: unique violation (its fields named, unique-violation.ts) and "record to update not found".
  if (isDependencyUnavailable(error)) return dependencyUnavailable('the database');
  if (e?.code === 'P2002') return uniqueViolation((error as { meta?: unknown }).meta);
  if (e?.code === 'P2025') return new AppError('NOT_FOUND', 'not found');
  if (e?.code === 'P2003') return new AppError('CONFLICT', 'a related resource prevents this change');
  // A value PostgreSQL cannot hold (out of range, NUL, impossible date). Schemas refuse these
  // with a pointer first; this is the second line, so a missing bound is a 422, not a 500.
  if (e?.code === 'P2020' || /^22/.test(sqlStateOf(error) ?? '')) return new AppError('UNPROCESSABLE', 'a value is outside what can be stored');
  // Other client errors from body-parser and the router (an undecodable gzip body, …).
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    if (e.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'the body exceeds the size limit of this route');
    if (e.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send UTF-8 encoded JSON');
    return new AppError('MALFORMED_JSON', 'the body could not be read');
  }
  return null;
}

/** A problem as it leaves: status, headers and the problem+json text. */
export interface RenderedProblem { status: number; headers: Record<string, string>; body: string }

/**
 * What the error handler answers for `error`, logging what must be logged (an unexpected error, a
 * database outage, a value the database refused); `route` is the route template, if one matched.
 * Shared by the Express error handler and the direct route (direct-route.ts).
 */
export function renderProblem(logger: Logger, error: unknown, requestId: string, route: string | undefined): RenderedProblem {
  let appError = toAppError(error);
  if (!appError) {
    logger.error({ error: loggableError(error), requestId, route }, 'unhandled error');
    appError = new AppError('INTERNAL', 'an internal error occurred; quote the request id when reporting it');
  } else if (appError.code === 'UNAVAILABLE' && !(error instanceof AppError)) {
    logger.warn({ error: loggableError(error), requestId, route }, 'database unavailable: answered 503');
  } else if (appError.code === 'UNPROCESSABLE' && !(error instanceof AppError)) {
    // A schema let through what the database refused: worth fixing at the schema.
    logger.warn({ error: loggableError(error), requestId, route }, 'database refused a value the schema admitted');
  }
  return { status: appError.status, headers: appError.options.headers ?? {}, body: JSON.stringify(problemBody(appError, requestId)) };
}

/** Writes a rendered problem (no ETag: an error is not a representation worth revalidating). */
export function sendProblem(res: ServerResponse, problem: ReturnType<typeof renderProblem>): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  const body = Buffer.from(problem.body);
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    sendProblem(res, renderProblem(logger, error, String(res.locals.requestId ?? ''), req.route?.path));
  };
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`));
};
