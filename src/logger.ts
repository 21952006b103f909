/**
 * Structured logs (pino) that never carry personal data, keys or tokens.
 * Request logs record the route template, never the URL (a search query may hold an e-mail);
 * known sensitive fields are redacted wherever they appear, as a second line of defence.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const SENSITIVE_FIELDS = [
  'authorization', 'cookie', 'password', 'passwordHash', 'token', 'key', 'code', 'secret', 'email',
  'firstName', 'lastName', 'phone', 'fax', 'address', 'ntUsername', 'ntDomain', 'pcName', 'macAddresses', 'ip',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
  return pino({ level, base: { service: 'nomina' }, redact: { paths, censor: '[redacted]' } }, destination);
}
