import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FetchFunction } from './http.js';

/**
 * The default transport, on node:net/node:http instead of the global fetch (issue 15). In a
 * freshly started process, Node loads fetch (undici) on its first use: 14–28 ms of every app's
 * start, more than everything else start() does, paid in full even when the connection is refused
 * at once. Here the TCP connection is made first with node:net; node:http (and node:tls for an
 * https URL, over that same socket) are loaded only once it is up, so a server that cannot be
 * reached costs a connection attempt and nothing more — and one that can, no extra round trip.
 *
 * It covers what the SDK's exchanges need (exchangeJson: a status, a text body, headers.get()).
 * Like the global fetch it uses no proxy and Node's CA store (NODE_EXTRA_CA_CERTS, --use-system-ca
 * where available), and it verifies the server's certificate and name. Unlike fetch it does not
 * follow redirects: none of the SDK's routes redirects, and fetch would have turned a redirected
 * POST into a GET. One connection per exchange. An app that needs more (a proxy, Electron's
 * net.fetch) passes `fetch` in the options.
 */
export const nodeTransport: FetchFunction = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported protocol ${url.protocol}`);
    if (init.body != null && typeof init.body !== 'string') throw new TypeError('the default transport sends string bodies only');
    const { signal } = init;
    signal?.throwIfAborted();
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] → ::1
    const port = Number(url.port || (secure ? 443 : 80));
    // Loaded on demand (see above); require() keeps this package CommonJS, without the ESM loader.
    const net: typeof import('node:net') = require('node:net');
    const socket = net.connect({ host, port });
    const fail = (error: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      try {
        send();
      } catch (error) {
        fail(error); // never an exception thrown out of an event handler into the app
      }
    });
    const send = () => {
      socket.removeListener('error', fail);
      let connection: Socket = socket;
      if (secure) {
        const tls: typeof import('node:tls') = require('node:tls');
        connection = tls.connect({ socket, host, servername: net.isIP(host) === 0 ? host : undefined });
      }
      const http: typeof import('node:http') = require('node:http');
      const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined), host: url.host, connection: 'close' };
      if (typeof init.body === 'string') headers['content-length'] = String(Buffer.byteLength(init.body));
      // The socket is made above, so the request is HTTP/1.1 over it (plain or TLS); with
      // createConnection and no agent, node:http uses that socket and no pool.
      const request = http.request({
        method: init.method ?? 'GET', path: `${url.pathname}${url.search}`, headers, setHost: false, createConnection: () => connection,
      });
      const failRequest = (error: unknown) => {
        request.destroy();
        fail(error);
      };
      signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', () => failRequest(signal.reason), { once: true });
      request.once('error', failRequest);
      connection.once('error', failRequest); // e.g. a certificate that does not verify
      request.once('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', failRequest);
        response.once('aborted', () => failRequest(new Error('the connection closed before the whole answer arrived')));
        response.once('end', () => resolve(answer(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8'))));
      });
      request.end(init.body ?? undefined);
    };
  });

/** The part of a fetch Response the SDK reads; built without touching the global Response (that loads undici). */
function answer(status: number, headers: IncomingHttpHeaders, text: string): Response {
  const get = (name: string): string | null => {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const minimal = { status, ok: status >= 200 && status < 300, headers: { get }, text: async () => text, json: async () => JSON.parse(text) as unknown };
  return minimal as unknown as Response;
}
