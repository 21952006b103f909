/**
 * The JSON answer of a route without an ETag (mount-routes.ts): written without the app's
 * replacer (V8's fast path), and with it when the body holds a bigint — as res.json() writes it.
 * And the query: a route that declares none and got none does not parse the URL, one that got a
 * query string still has it checked for NUL.
 */
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { routeHandler } from '../../src/http/mount-routes';
import { defineRoute, publicAccess } from '../../src/http/route';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

function appWith(body: unknown, options: { etag: boolean; query?: z.ZodType }) {
  const route = defineRoute({
    method: 'get', path: '/t', tag: 'test', access: publicAccess, ...(options.etag ? {} : { etag: false as const }), query: options.query,
    summary: 'test', async handler({ query }) { return { body: body ?? { query } }; },
  });
  const app = express();
  app.set('json replacer', h.app.get('json replacer'));
  app.get('/t', (req, res, next) => { routeHandler(h.services, route)(req, res).catch(next); });
  app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(error.status ?? 500).json({ failed: true }); });
  return app;
}

describe('a JSON answer without an ETag', () => {
  it('writes the body as res.json would, without the ETag', async () => {
    const body = { code: 'VALID', list: ['a', 'b'], nested: { n: 1, no: null } };
    const res = await request(appWith(body, { etag: false })).get('/t');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBeUndefined();
    expect(res.text).toBe(JSON.stringify(body));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
  });

  it('writes a bigint as a string, as the app replacer does for res.json', async () => {
    const withEtag = await request(appWith({ id: 12345678901234567890n, name: 'x' }, { etag: true })).get('/t');
    const without = await request(appWith({ id: 12345678901234567890n, name: 'x' }, { etag: false })).get('/t');
    expect(without.status).toBe(200);
    expect(without.text).toBe('{"id":"12345678901234567890","name":"x"}');
    expect(without.text).toBe(withEtag.text);
  });
});

describe('the query of a route', () => {
  it('is empty for a route that declares none and got none, and parsed when declared', async () => {
    expect((await request(appWith(undefined, { etag: false })).get('/t')).body).toEqual({ query: {} });
    const declared = await request(appWith(undefined, { etag: false, query: z.object({ q: z.string() }) })).get('/t?q=abc');
    expect(declared.body).toEqual({ query: { q: 'abc' } });
  });

  it('is still checked for NUL when a route that declares none gets a query string', async () => {
    const res = await request(appWith(undefined, { etag: false })).get('/t?x=%00');
    expect(res.status).toBe(400);
  });
});
