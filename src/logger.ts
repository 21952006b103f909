/**
 * Structured logs (pino) that never carry personal data, keys or tokens.
 * Request logs record the route template, never the URL (a search query may hold an e-mail);
 * known sensitive fields are redacted wherever they appear, as a second line of defence.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const SENSITIVE_FIELDS = [
  'authorization', 'cookie', 'password', 'passwordHash', 'token', 'key', 'code', 'secret', 'email',
  'firstName', 'lastName', 'phone', 'fax', 'address', 'ntUsername', 'ntDomain', 'pcName', 'macAddresses', 'ip',
];

export type LogFormat = 'json' | 'pretty';

/**
 * A person at a terminal in development reads lines, not JSON; everything else (production, a pipe,
 * a log shipper, CI) gets JSON lines. Redaction happens before formatting, so both are equally safe.
 */
export function logFormatFor(env: string, stdoutIsTerminal: boolean): LogFormat {
  return env === 'development' && stdoutIsTerminal ? 'pretty' : 'json';
}

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const paths = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
  const stream = format === 'pretty'
    ? pretty({ destination: destination ?? 1, sync: true, colorize: destination === undefined, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l' })
    : destination;
  return pino({ level, base: BASE, redact: { paths, censor: '[redacted]' } }, stream);
}

const BASE = { service: 'nomina' };
const requestLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger of the per-request line (request-context.ts): same stream, level and format as
 * `logger`, without the redaction pass. That line's fields are fixed by the code — request id,
 * method, route template, status, duration — and none of them is, or is named like, a sensitive
 * field; redacting it cost ≈ 45 µs a line (pino 10's redaction walks every wildcard path), more
 * than the rest of the line's logging together, on every request at the default level.
 */
export function requestLogger(logger: Logger): Logger {
  let plain = requestLoggers.get(logger);
  if (!plain) {
    const stream = (logger as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
    plain = pino({ level: logger.level, base: BASE }, stream);
    requestLoggers.set(logger, plain);
  }
  return plain;
}

/** The PostgreSQL SQLSTATE of an error from pg or from a Prisma driver adapter. */
export function sqlStateOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const fromAdapter = e?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof fromAdapter === 'string') return fromAdapter;
  return typeof e?.code === 'string' && /^(?=.*[0-9])[0-9A-Z]{5}$/.test(e.code) && !e.code.startsWith('P') ? e.code : undefined;
}

/**
 * What the log keeps of an unexpected error: its class, codes and stack frames — not its message.
 * Messages of database errors quote the values involved (`invalid input syntax for type uuid:
 * "…"`, Prisma's rendering of a query's arguments), which may be personal data, keys or codes.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown };
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 15).join('\n');
  // Not `code`: the logger redacts every field of that name (verification codes).
  return { type: error.name, errorCode: typeof e.code === 'string' ? e.code : undefined, sqlState: sqlStateOf(error), stack: frames };
}
