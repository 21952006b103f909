/**
 * A small HTTP proxy in front of the real server: the network edge the SDK cannot trust. Tests
 * give it rules to answer in the server's place (429, 503) or to rewrite the server's real answer
 * (another key's signature, a tampered token, a replayed answer). Everything else passes through.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EdgeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface EdgeReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  body: string;
  authorization: string | null;
  /** what the SDK received, or null if it never got an answer */
  status: number | null;
  /** the server's own status, or null when the proxy answered in its place */
  serverStatus: number | null;
  serverBody: string | null;
}

/** In the server's place: a reply, or undefined to forward the request. */
export type BeforeRule = (request: EdgeRequest) => EdgeReply | undefined | Promise<EdgeReply | undefined>;
/** After the server answered: the reply the SDK gets instead (may wait, e.g. to hold it back). */
export type AfterRule = (request: EdgeRequest, reply: EdgeReply) => EdgeReply | Promise<EdgeReply>;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export class EdgeProxy {
  before: BeforeRule | null = null;
  after: AfterRule | null = null;
  readonly log: ProxyLogEntry[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  constructor(private readonly target: () => string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to `path` seen so far (e.g. '/v1/telemetry'). */
  requestsTo(path: string): ProxyLogEntry[] {
    return this.log.filter((entry) => entry.path === path);
  }

  reset(): void {
    this.before = null;
    this.after = null;
    this.log.length = 0;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
    const request: EdgeRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers, body: Buffer.concat(chunks).toString('utf8') };
    const entry: ProxyLogEntry = { method: request.method, path: request.path, body: request.body, authorization: headers.authorization ?? null, status: null, serverStatus: null, serverBody: null };
    this.log.push(entry);
    try {
      let reply = await this.before?.(request);
      if (!reply) {
        const server = await forward(this.target(), req.url ?? '/', request);
        entry.serverStatus = server.status;
        entry.serverBody = server.body;
        reply = this.after ? await this.after(request, server) : server;
      }
      if (res.destroyed) return; // the client went away (killed) while the answer was held
      res.writeHead(reply.status, reply.headers).end(reply.body);
      entry.status = reply.status;
    } catch {
      if (!res.destroyed) res.writeHead(502).end();
    }
  }
}

async function forward(target: string, url: string, request: EdgeRequest): Promise<EdgeReply> {
  const response = await fetch(`${target}${url}`, {
    method: request.method, headers: request.headers, body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}
