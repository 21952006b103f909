/**
 * No personal data, key or token in logs (docs/architecture.md §8), also when something fails: an unexpected
 * error is logged by class, codes and stack frames, never by its message — database messages
 * quote the values they choke on.
 */
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../src/http/error-handler';
import { createLogger, loggableError } from '../../src/logger';

const PERSONAL = 'jan.peeters@gemeente.test';

/** An error shaped like Prisma's over a driver adapter, quoting a value in its message and meta. */
function databaseError(sqlState = '22P02') {
  const error = new Error(`Invalid \`prisma.contact.findMany()\` invocation: invalid input syntax for type uuid: "${PERSONAL}"`) as Error & Record<string, unknown>;
  error.name = 'PrismaClientKnownRequestError';
  error.code = 'P2010';
  error.meta = { driverAdapterError: { cause: { originalCode: sqlState, originalMessage: `invalid input syntax for type uuid: "${PERSONAL}"` } } };
  return error;
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  return { lines, logger };
}

describe('loggableError', () => {
  it('keeps the class, the codes and the stack frames, not the message or the driver meta', () => {
    const { lines, logger } = capture();
    logger.error({ error: loggableError(databaseError()) }, 'failed');
    const line = JSON.parse(lines[0]);
    expect(line.error).toMatchObject({ type: 'PrismaClientKnownRequestError', errorCode: 'P2010', sqlState: '22P02' });
    expect(line.error.stack).toMatch(/^\s+at /);
    expect(lines.join('')).not.toContain(PERSONAL);
  });
});

describe('the error handler', () => {
  it('logs an unexpected error without its message and answers a bare 500 problem', async () => {
    const { lines, logger } = capture();
    const app = express();
    app.use((_req, res, next) => { res.locals.requestId = 'req-12345678'; next(); });
    // A fault of ours (42P01: no such table), not of the input.
    app.get('/boom', () => { throw databaseError('42P01'); });
    app.use(errorHandler(logger));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(PERSONAL);
    expect(lines.join('')).toContain('unhandled error');
    expect(lines.join('')).not.toContain(PERSONAL);
  });

  it('answers a value the database cannot store (SQLSTATE class 22) with 422, logged as a warning without the value', async () => {
    const { lines, logger } = capture();
    const app = express();
    app.use((_req, res, next) => { res.locals.requestId = 'req-12345678'; next(); });
    app.get('/range', () => {
      throw Object.assign(new Error(`value "${PERSONAL}" is out of range`), { code: 'P2020', meta: { driverAdapterError: { cause: { originalCode: '22003' } } } });
    });
    app.use(errorHandler(logger));
    const res = await request(app).get('/range');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(lines.join('')).toContain('database refused a value the schema admitted');
    expect(lines.join('')).not.toContain(PERSONAL);
  });
});
