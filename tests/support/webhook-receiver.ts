/**
 * A real HTTP receiver on a local port, for webhook tests. `respond` decides each answer (by the
 * request's number, 1-based, and its webhook-id); 'hang' keeps the request open until close().
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook { id: string; timestamp: string; signature: string; body: string; status: number | 'hang' }

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** the body of each request answered 2xx, parsed, in arrival order */
  delivered(): { id: string; type: string; data: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startReceiver(respond: (n: number, id: string) => number | 'hang' = () => 204): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      const status = respond(received.length + 1, id);
      received.push({ id, timestamp: String(req.headers['webhook-timestamp'] ?? ''), signature: String(req.headers['webhook-signature'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), status });
      if (status === 'hang') hanging.add(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    delivered: () => received.filter((r) => typeof r.status === 'number' && r.status < 300).map((r) => ({ id: r.id, ...JSON.parse(r.body) })),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `step` until `done()` holds, or fails after `timeoutMs`. */
export async function until(done: () => boolean | Promise<boolean>, step: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await step();
    await new Promise((r) => setTimeout(r, 15));
  }
}
