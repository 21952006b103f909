/**
 * The floor of `bench:validate`'s latency figure, and validate's contract done plainly, each in a
 * process of its own: Node's bare `http` server (no Express, no zod, no fraud engine) that reads the
 * JSON body and computes the key digest, then does only what FLOOR_WORK says:
 *
 * - `lookup` (the default): the baseline's one indexed lookup, as a prepared statement — the floor.
 * - `contract`: what a validation's contract needs at the least, done plainly (bench/README.md,
 *   sixth pass): the lookup, then an Ed25519 signature over the row, then one event row written
 *   before the answer (committed without waiting for the WAL flush, as the service's group commit
 *   does). "The facts are read after the request arrived" and "no verdict leaves without its
 *   record" make two round trips to PostgreSQL one after the other, because the event depends on
 *   the verdict read first. One statement each, nothing grouped: the service groups its statements
 *   (hot-path.ts) and can do better than this under load.
 *
 * Not targets: they show what this machine gives a server doing that much work at validate's half
 * rate, so the p99 target can be read against them. Environment as baseline-server.ts:
 * DATABASE_URL, KEY_PEPPER (base64), POOL_SIZE, PORT; and FLOOR_WORK. GET /ready answers 200.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import { Pool } from 'pg';
import { keyDigest } from '../../src/licences/licence-keys';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const pepper = Buffer.from(process.env.KEY_PEPPER ?? '', 'base64');
const contract = process.env.FLOOR_WORK === 'contract';
const { privateKey } = generateKeyPairSync('ed25519');

const LOOKUP = 'SELECT id, status FROM licences WHERE "keyDigest" = $1';
// One event row, committed asynchronously (hot-path.ts does the same with set_config in its statement).
const RECORD = `INSERT INTO validation_events ("licenceId", code, at)
SELECT $1::uuid, $2::"ValidationCode", now() FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function serve(key: unknown): Promise<unknown> {
  const { rows } = await pool.query<{ id: string; status: string }>({ name: 'licence_by_digest', text: LOOKUP, values: [keyDigest(pepper, String(key))] });
  const licence = rows[0] ?? null;
  const valid = licence !== null && licence.status === 'active';
  if (!contract) return { valid, licence };
  const token = sign(null, Buffer.from(JSON.stringify({ licence, valid, at: Date.now() })), privateKey).toString('base64url');
  await pool.query({ name: 'record_event', text: RECORD, values: [licence?.id ?? null, valid ? 'VALID' : 'NOT_FOUND'] });
  return { valid, licence, token };
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ready') return answer(res, 200, { ready: true });
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      const { key } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { key?: unknown };
      answer(res, 200, await serve(key));
    })().catch(() => answer(res, 500, { error: 'lookup failed' }));
  });
}).listen(Number(process.env.PORT ?? 0), '127.0.0.1');

process.on('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
