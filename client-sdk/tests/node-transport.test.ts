import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { exchangeJson } from '../src/http';
import { nodeTransport } from '../src/node-transport';

// The SDK's default transport (node:net + node:http instead of the global fetch, for start-up time).
let server: http.Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (request.url === '/stall') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"partial":');
        return; // never ends
      }
      response.writeHead(request.url === '/busy' ? 429 : 200, { 'content-type': 'application/json', 'retry-after': '7' });
      response.end(JSON.stringify({ echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the default transport', () => {
  it('posts the body with its headers and returns status, JSON body and headers', async () => {
    const response = await exchangeJson(nodeTransport, `${base}/v1/validate?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Zoë"}' }, 2000);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ echo: '{"name":"Zoë"}' });
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/validate?x=1', body: '{"name":"Zoë"}', headers: { host: base.slice('http://'.length), 'content-type': 'application/json' } });
    expect(seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"Zoë"}')));
  });

  it('resolves any HTTP status', async () => {
    expect((await exchangeJson(nodeTransport, `${base}/busy`, { method: 'GET' }, 2000)).status).toBe(429);
  });

  it('rejects at once when the connection is refused, long before the timeout', async () => {
    const closed = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const began = performance.now();
    await expect(exchangeJson(nodeTransport, `http://127.0.0.1:${port}/v1/validate`, { method: 'POST', body: '{}' }, 5000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(performance.now() - began).toBeLessThan(1000);
  });

  it('gives up at the timeout when the answer stalls mid-body', async () => {
    const began = performance.now();
    await expect(exchangeJson(nodeTransport, `${base}/stall`, { method: 'GET' }, 200)).rejects.toThrow(/within 200 ms/);
    expect(performance.now() - began).toBeLessThan(2000);
  });

  it('refuses other protocols and non-string bodies without a network call', async () => {
    await expect(nodeTransport('ftp://example.com/x')).rejects.toThrow(TypeError);
    await expect(nodeTransport(`${base}/x`, { method: 'POST', body: new Uint8Array(2) })).rejects.toThrow(TypeError);
  });
});
