/**
 * Logs read as lines for a developer at a terminal and as JSON everywhere else; both redact.
 */
import { Writable } from 'node:stream';
import { createLogger, logFormatFor, type LogFormat } from '../../src/logger';

function capture(format: LogFormat): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { lines, log: createLogger('info', sink, format) };
}

describe('log format', () => {
  it('is pretty only in development on a terminal', () => {
    expect(logFormatFor('development', true)).toBe('pretty');
    expect(logFormatFor('development', false)).toBe('json');
    expect(logFormatFor('production', true)).toBe('json');
    expect(logFormatFor('test', true)).toBe('json');
  });

  it('writes readable lines in pretty mode, still without the redacted fields', () => {
    const { lines, log } = capture('pretty');
    log.info({ route: '/v1/validate', email: 'jane@example.com' }, 'request finished');
    const text = lines.join('');
    expect(text).toMatch(/INFO.*request finished/);
    expect(() => JSON.parse(text)).toThrow();
    expect(text).not.toContain('jane@example.com');
    expect(text).toContain('[redacted]');
  });

  it('writes one JSON object per line otherwise', () => {
    const { lines, log } = capture('json');
    log.info({ email: 'jane@example.com' }, 'request finished');
    const entry = JSON.parse(lines.join(''));
    expect(entry).toMatchObject({ msg: 'request finished', email: '[redacted]', service: 'nomina' });
  });
});
