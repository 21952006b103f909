/**
 * The floor of `bench:validate`'s latency figure, in a process of its own: Node's bare `http`
 * server (no Express) that reads the JSON body, computes the key digest and does the baseline's
 * one indexed lookup as a prepared statement. Not a target: it shows what this machine gives *any*
 * server at validate's half rate (its p99 is the machine's, not the code's), so the p99 target can
 * be read against it. Environment as baseline-server.ts: DATABASE_URL, KEY_PEPPER (base64),
 * POOL_SIZE, PORT. GET /ready answers 200.
 */
import http from 'node:http';
import { Pool } from 'pg';
import { keyDigest } from '../../src/licences/licence-keys';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const pepper = Buffer.from(process.env.KEY_PEPPER ?? '', 'base64');

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ready') return answer(res, 200, { ready: true });
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      const { key } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { key?: unknown };
      const { rows } = await pool.query({ name: 'licence_by_digest', text: 'SELECT id, status FROM licences WHERE "keyDigest" = $1', values: [keyDigest(pepper, String(key))] });
      answer(res, 200, { valid: rows.length === 1 && rows[0].status === 'active', licence: rows[0] ?? null });
    })().catch(() => answer(res, 500, { error: 'lookup failed' }));
  });
}).listen(Number(process.env.PORT ?? 0), '127.0.0.1');

process.on('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
