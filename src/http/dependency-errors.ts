/**
 * Errors that mean "a dependency cannot be reached right now", not "this request is wrong" nor
 * "we have a bug": the database is down, restarting or out of connections. Such a request gets
 * 503 with Retry-After, and the next one after recovery simply works (pools reconnect).
 */
import { sqlStateOf } from '../logger';
import { AppError } from './problem';

/** Prisma's codes for an unreachable, timed-out or saturated database. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** Driver-adapter error kinds with the same meaning (the Prisma code is not always set). */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** Socket errors from `pg` itself (raw connections). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
/** SQLSTATEs: connection exceptions (08…), server shutting down or starting (57P01–57P03), too many connections. */
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53300)$/;
/**
 * `pg` reports a dropped or refused connection by message only; Prisma a saturated pool by a P2028
 * message. PostgreSQL itself refuses new connections to a database closed for maintenance
 * (`ALLOW_CONNECTIONS false`) with SQLSTATE 55000, a class shared with real faults: recognised by
 * its message.
 */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|Unable to start a transaction in the given time|is not currently accepting connections/;

export const RETRY_AFTER_SECONDS = 5;

export function isDependencyUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 4; e = e.cause as Record<string, unknown> | undefined, depth += 1) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code))) return true;
    const meta = e.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined;
    const kind = meta?.driverAdapterError?.cause?.kind ?? (e.cause as { kind?: string } | undefined)?.kind;
    if (kind && ADAPTER_KINDS.has(kind)) return true;
    if (UNAVAILABLE_STATE.test(sqlStateOf(e) ?? '')) return true;
    if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
  }
  return false;
}

export function dependencyUnavailable(what: string): AppError {
  return new AppError('UNAVAILABLE', `${what} cannot be reached at the moment; retry in ${RETRY_AFTER_SECONDS} s`, {
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  });
}
