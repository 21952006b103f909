import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FetchFunction } from './http.js';

/**
 * The default transport, on node:http/node:https instead of the global fetch. Node loads fetch
 * (undici) on its first use, which cost 14–28 ms of every app's start in a fresh process — more
 * than everything else start() does, and paid in full even when the connection is refused at
 * once (issue 15). node:http is part of Node's start-up snapshot; node:https is loaded only for
 * an https URL.
 *
 * It covers what the SDK's exchanges need (exchangeJson: a status, a text body, headers.get())
 * and, like the global fetch, uses no proxy and Node's CA store. It does not follow redirects:
 * none of the SDK's routes redirects, and fetch would have turned a redirected POST into a GET.
 * An app that needs more (a proxy, Electron's net.fetch) passes `fetch` in the options.
 */
export const nodeTransport: FetchFunction = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new TypeError(`unsupported protocol ${url.protocol}`));
      return;
    }
    // Loaded on demand (see above); require() keeps this package CommonJS without the ESM loader.
    const transport: typeof import('node:http') = url.protocol === 'https:' ? require('node:https') : require('node:http');
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (init.body != null && body === undefined) {
      reject(new TypeError('the default transport sends string bodies only'));
      return;
    }
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const request = transport.request(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined });
    request.once('error', reject);
    request.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('aborted', () => reject(new Error('the connection closed before the whole answer arrived')));
      response.once('end', () => resolve(answer(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8'))));
    });
    request.end(body);
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
