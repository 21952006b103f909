/**
 * The app's HTTP server makes its requests and responses with Express's prototypes from the start
 * (src/http/express-server.ts), so Express's per-request Object.setPrototypeOf changes nothing.
 * What must hold: every request reaching the app — through the router or the direct validation
 * route — already is Express's own; Express's getters (req.ip with trust proxy, req.is) and
 * res.json behave as before; app.listen still reports a listen error to its callback.
 */
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import express from 'express';
import { listenWithExpressObjects } from '../../src/http/express-server';
import { createHarness, type Harness } from '../support/harness';
import { buildLicence } from '../support/factories';
import { aDevice, validateBody } from '../validation/validate-helpers';

const listening = (server: Server) => new Promise<string>((resolve) => {
  if (server.listening) resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  else server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
});
const closing = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });

describe('an Express app listening with its own request and response objects', () => {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.listen = listenWithExpressObjects(app);
  app.post('/echo', express.json(), (req, res) => {
    res.json({
      requestIsExpress: Object.getPrototypeOf(req) === app.request,
      responseIsExpress: Object.getPrototypeOf(res) === app.response,
      ip: req.ip, json: req.is('application/json'), body: req.body as unknown,
    });
  });

  it('hands the handler objects whose prototypes are app.request and app.response, with the same behaviour', async () => {
    const server = app.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await listening(server)}/echo`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ a: 1 }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ requestIsExpress: true, responseIsExpress: true, ip: '203.0.113.9', json: 'application/json', body: { a: 1 } });
    } finally {
      await closing(server);
    }
  });

  it('calls the listen callback with the error when the port is taken, as Express 5 does', async () => {
    const first = app.listen(0, '127.0.0.1');
    try {
      const { port } = new URL(await listening(first));
      const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => { app.listen(Number(port), '127.0.0.1', resolve); });
      expect(error?.code).toBe('EADDRINUSE');
    } finally {
      await closing(first);
    }
  });
});

describe('the service app', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('receives Express objects on every path, the direct validation route included', async () => {
    const app = h.app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void; request: object; response: object };
    const seen: string[] = [];
    const handle = app.handle.bind(app);
    app.handle = (req, res, next) => {
      seen.push(`${req.method} ${req.url} ${Object.getPrototypeOf(req) === app.request} ${Object.getPrototypeOf(res) === app.response}`);
      handle(req, res, next);
    };
    const server = h.app.listen(0, '127.0.0.1');
    try {
      const base = await listening(server);
      const { key, product } = await buildLicence(h);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const validation = await fetch(`${base}/v1/validate`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.2.3' }, body: JSON.stringify(validateBody(key, product.code, aDevice())),
      });
      expect(validation.status).toBe(200);
      expect(((await validation.json()) as { code: string }).code).toBe('VALID');
      expect(seen).toEqual(['GET /readyz true true', 'POST /v1/validate true true']);
    } finally {
      app.handle = handle;
      await closing(server);
    }
  });
});
