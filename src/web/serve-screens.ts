/**
 * Serves the built screens (Vite output under dist/web/<screen>) at /<screen>: hashed assets
 * cached for a year (their name changes with their content), index.html never cached, and a
 * Content-Security-Policy that allows only this origin — no inline scripts, no third parties.
 * Any other path under the screen gets index.html (the screen routes in the browser).
 * When the screens were not built (npm run build builds them), the path answers a problem.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { AppError } from '../http/problem';

export const SCREEN_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The project root: where package.json is, from src/web (tests) or dist/src/web (npm start). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function screenDirectory(screen: string): string {
  return path.join(projectRoot(), 'dist', 'web', screen);
}

export function serveScreen(screen: string): express.Router {
  const dir = screenDirectory(screen);
  const router = express.Router();
  router.use((_req, res, next) => { res.setHeader('Content-Security-Policy', SCREEN_CSP); next(); });
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
    (_req, _res, next) => next(new AppError('NOT_FOUND', 'no such asset')));
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) return next(new AppError('NOT_FOUND', `the ${screen} screen was not built: run npm run build`));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
