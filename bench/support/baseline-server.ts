/**
 * The baseline of `bench:validate`, in a process of its own: a bare Express 5 POST route with
 * express.json() that computes the key digest and does one indexed `pg` lookup, answering JSON.
 * Environment: DATABASE_URL, KEY_PEPPER (base64), POOL_SIZE, PORT. GET /ready answers 200.
 * BASELINE_SERVER=express-objects: listens on the service's server (src/http/express-server.ts,
 * requests made with Express's prototypes) instead of Express's default one — for comparison
 * only; the baseline of the targets is Express as it comes.
 */
import http from 'node:http';
import express from 'express';
import { Pool } from 'pg';
import { createExpressServer } from '../../src/http/express-server';
import { keyDigest } from '../../src/licences/licence-keys';

export function baselineApp(lookup: Pool, keyPepper: Buffer): express.Express {
  const app = express();
  app.post('/v1/validate', express.json(), async (req, res) => {
    const digest = keyDigest(keyPepper, String(req.body.key));
    const { rows } = await lookup.query('SELECT id, status FROM licences WHERE "keyDigest" = $1', [digest]);
    res.json({ valid: rows.length === 1 && rows[0].status === 'active', licence: rows[0] ?? null });
  });
  app.get('/ready', (_req, res) => { res.json({ ready: true }); });
  return app;
}

if (require.main === module) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
  const app = baselineApp(pool, Buffer.from(process.env.KEY_PEPPER ?? '', 'base64'));
  const server = (process.env.BASELINE_SERVER === 'express-objects' ? createExpressServer(app) : http.createServer(app)).listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}
