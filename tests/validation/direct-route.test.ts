/**
 * POST /v1/validate is served before Express's router (src/http/direct-route.ts). Every answer
 * must be the one the router path gives: the same app built with `directValidate: false`, on the
 * same services and database, is asked the same things and must answer the same status, headers
 * and body (the ETag aside: the route sends none, and only the router's error handler still adds one).
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app';
import { withAdminClient } from '../setup/test-database';
import { createHarness, type Harness } from '../support/harness';
import { buildLicence } from '../support/factories';
import { aDevice, validateBody } from './validate-helpers';

let h: Harness;
let viaRouter: ReturnType<typeof request>;
beforeAll(async () => {
  h = await createHarness();
  viaRouter = request(createApp(h.services, { directValidate: false }));
});
afterAll(() => h.close());

/** Headers that differ between any two answers (time, connection). Neither path sends an ETag on this route. */
const VARYING = new Set(['date', 'connection', 'keep-alive']);
const headersOf = (res: request.Response) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => !VARYING.has(name)));
/** Fields of a verdict that differ between two validations: their time and the token signed at that time. */
const bodyOf = (res: request.Response) => {
  const { ts, token, ...rest } = res.body as Record<string, unknown>;
  return { ...rest, ts: typeof ts, token: typeof token };
};

type Send = (api: ReturnType<typeof request>, requestId: string) => request.Test;

/** The same request to both apps, with the same request id; returns both answers. */
async function both(send: Send) {
  const id = `same-${randomBytes(6).toString('hex')}`;
  const direct = await send(h.api, id).set('X-Request-Id', id);
  const router = await send(viaRouter, id).set('X-Request-Id', id);
  return { direct, router };
}

async function expectSame(send: Send, status: number) {
  const { direct, router } = await both(send);
  expect(direct.status).toBe(status);
  expect({ status: direct.status, headers: headersOf(direct), body: bodyOf(direct) }).toEqual({ status: router.status, headers: headersOf(router), body: bodyOf(router) });
  return direct;
}

const post = (body: string | Buffer | object, type = 'application/json', address = '10.9.8.7'): Send => (api) => {
  const req = api.post('/v1/validate').set('X-Forwarded-For', address).set('Content-Type', type);
  return req.send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
};

describe('POST /v1/validate served directly', () => {
  it('is not routed through Express', async () => {
    const app = h.app as unknown as { router: { handle: (...args: unknown[]) => unknown } };
    const spy = jest.spyOn(app.router, 'handle');
    const { key, product } = await buildLicence(h);
    await h.api.post('/v1/validate').send(validateBody(key, product.code, aDevice())).expect(200);
    expect(spy).not.toHaveBeenCalled();
    await h.api.get('/healthz').expect(200);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('answers a valid validation with the same verdict and headers, without an ETag', async () => {
    const { key, product } = await buildLicence(h);
    const device = aDevice();
    await h.api.post('/v1/validate').set('X-Forwarded-For', '10.1.1.1').send(validateBody(key, product.code, device)).expect(200); // activates
    const body = validateBody(key, product.code, device);
    const res = await expectSame(post(body, 'application/json', '10.1.1.1'), 200);
    expect(res.body).toMatchObject({ valid: true, code: 'VALID', device: { new: false } });
    expect(res.headers).toMatchObject({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers a verdict the same whatever the spelling of application/json, white space or a byte order mark', async () => {
    const { key, product } = await buildLicence(h);
    const device = aDevice();
    await h.api.post('/v1/validate').set('X-Forwarded-For', '10.1.1.2').send(validateBody(key, product.code, device)).expect(200);
    const text = JSON.stringify(validateBody(key, product.code, device));
    for (const [body, type] of [[`\n ${text} `, 'application/json'], [`\uFEFF${text}`, 'Application/JSON; Charset=UTF-8'], [text, 'application/json;charset=utf-8'], [text, 'application/vnd.nomina+json']]) {
      const res = await expectSame(post(JSON.parse(JSON.stringify(body)) as string, type, '10.1.1.2'), 200);
      expect(res.body).toMatchObject({ valid: true, code: 'VALID' });
    }
  });

  it('refuses a key named twice behind a byte order mark on both paths (the scan reads what the parser reads)', async () => {
    const { direct, router } = await both(post('\uFEFF{"key":"A","key":"B"}'));
    for (const res of [direct, router]) expect(res.body).toMatchObject({ status: 400, errors: [{ pointer: '/key', detail: 'duplicate key' }] });
  });

  it('answers a body sent in pieces (chunked, and with Content-Length over several packets) the same', async () => {
    const { key, product } = await buildLicence(h);
    const text = JSON.stringify(validateBody(key, product.code, aDevice()));
    const pieces = (api: ReturnType<typeof request>) => {
      const req = api.post('/v1/validate').set('X-Forwarded-For', '10.1.1.3').set('Content-Type', 'application/json');
      req.write(text.slice(0, 20));
      req.write(text.slice(20));
      return req;
    };
    const first = await both(pieces);
    expect(first.direct.status).toBe(200);
    expect(first.router.status).toBe(200);
  });

  it('answers refusals (an unknown key) the same', async () => {
    await expectSame(post(validateBody('ACME-NOPE0-NOPE0-NOPE0-NOPE0-NOPE0', 'ACME', aDevice())), 200);
  });

  it.each([
    ['malformed JSON', '{"key": "A",', 'application/json', 400],
    ['a key named twice', '{"key":"A","key":"B"}', 'application/json', 400],
    ['nesting deeper than any route reads', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'application/json', 400],
    ['a JSON string instead of an object', '"text"', 'application/json', 400],
    ['an empty object', '{}', 'application/json', 400],
    ['a nonce too short and a key too long', JSON.stringify({ key: 'K'.repeat(300), product: 'ACME', device: aDevice(), nonce: 'x' }), 'application/json', 400],
    ['a NUL character in a field', JSON.stringify({ key: 'A\u0000B', product: 'ACME', device: aDevice(), nonce: 'abcdefgh12' }), 'application/json', 400],
    ['text/plain', JSON.stringify({ key: 'A' }), 'text/plain', 415],
    ['another charset', '{}', 'application/json; charset=latin1', 415],
    ['a body over 256 kB', JSON.stringify({ key: 'A', pad: 'x'.repeat(300_000) }), 'application/json', 413],
    // The direct route reads plain application/json itself (json-body.ts, fastJsonBody); these are its edges.
    ['white space only', '  \n ', 'application/json', 400],
    ['a JSON number', ' 12', 'application/json', 400],
    ['a key named twice behind a byte order mark', '\uFEFF{"key":"A","key":"B"}', 'application/json', 400],
    ['a byte order mark before an object with schema errors', '\uFEFF{"key":"A"}', 'application/json; charset=UTF-8', 400],
    ['a key named twice, charset in quotes', '{"key":"A","key":"B"}', 'application/json; charset="utf-8"', 400],
    ['a +json type with a key named twice (read by express.json)', '{"key":"A","key":"B"}', 'application/vnd.nomina+json', 400],
    ['invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json', 400],
  ])('answers %s with the same problem+json', async (_what, body, type, status) => {
    const res = await expectSame(post(body, type), status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ status, requestId: res.headers['x-request-id'] });
  });

  it('answers a request without a body the same', async () => {
    await expectSame((api) => api.post('/v1/validate'), 400);
  });

  it('answers 429 with Retry-After and RateLimit headers the same once a key is over its limit', async () => {
    const { key, product } = await buildLicence(h);
    const device = aDevice();
    const answers: number[] = [];
    for (let i = 0; i < 61; i++) answers.push((await h.api.post('/v1/validate').set('X-Forwarded-For', `10.2.${i}.1`).send(validateBody(key, product.code, device))).status);
    expect(answers.at(-1)).toBe(429);
    const { direct, router } = await both(post(validateBody(key, product.code, device), 'application/json', '10.3.3.3'));
    expect(direct.status).toBe(429);
    expect(router.status).toBe(429);
    expect(direct.headers['retry-after']).toMatch(/^\d+$/);
    expect(Math.abs(Number(direct.headers['retry-after']) - Number(router.headers['retry-after']))).toBeLessThanOrEqual(1);
    const { 'retry-after': _a, ratelimit: _b, ...directRest } = headersOf(direct);
    const { 'retry-after': _c, ratelimit: _d, ...routerRest } = headersOf(router);
    expect(directRest).toEqual(routerRest);
    expect(direct.headers['ratelimit-policy']).toBe('60;w=60');
    const { detail: _e, ...directBody } = direct.body as Record<string, unknown>;
    const { detail: _f, ...routerBody } = router.body as Record<string, unknown>;
    expect(directBody).toEqual(routerBody);
  });

  it('logs one request line and observes the HTTP metric with the route template, never the body', async () => {
    const { key, product } = await buildLicence(h);
    const id = `logline-${randomBytes(6).toString('hex')}`;
    await h.api.post('/v1/validate').set('X-Request-Id', id).send(validateBody(key, product.code, aDevice())).expect(200);
    const lines = h.logs.join('').split('\n').filter((l) => l.includes(id)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'request', requestId: id, method: 'POST', route: '/v1/validate', status: 200, service: 'nomina' })]);
    expect(Object.keys(lines[0]).sort()).toEqual(['level', 'method', 'ms', 'msg', 'pid', 'hostname', 'requestId', 'route', 'service', 'status', 'time'].filter((k) => k in lines[0]).sort());
    expect(JSON.stringify(lines)).not.toContain(key);
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('nomina_http_request_duration_seconds');
    expect(metrics).toMatch(/nomina_http_request_duration_seconds_count\{method="POST",route="\/v1\/validate",status="200"\} \d+/);
  });

  it('answers 503 with Retry-After when the database cannot be reached, the same way', async () => {
    const { key, product } = await buildLicence(h);
    const device = aDevice();
    await h.api.post('/v1/validate').send(validateBody(key, product.code, device)).expect(200);
    const name = new URL(h.databaseUrl).pathname.slice(1);
    const setReachable = (reachable: boolean) => withAdminClient(async (pg) => {
      await pg.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${reachable}`);
      if (!reachable) await pg.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    });
    await setReachable(false);
    try {
      const res = await expectSame(post(validateBody(key, product.code, device)), 503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.code).toBe('UNAVAILABLE');
    } finally {
      await setReachable(true);
    }
    await h.api.post('/v1/validate').send(validateBody(key, product.code, device)).expect(200);
  });
});
