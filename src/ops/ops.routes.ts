import { defineRoute, publicAccess } from '../http/route';
import { dependencyUnavailable } from '../http/dependency-errors';
import { AppError } from '../http/problem';
import { pendingMigrations } from '../db/migrations';
import { z } from 'zod';

export const opsRoutes = [
  defineRoute({
    method: 'get', path: '/healthz', tag: 'operations', access: publicAccess,
    response: { status: 200, description: 'the process answers', schema: z.object({ status: z.literal('ok') }) },
    summary: 'Liveness: the process answers',
    async handler() {
      return { body: { status: 'ok' } };
    },
  }),
  defineRoute({
    method: 'get', path: '/readyz', tag: 'operations', access: publicAccess,
    response: {
      status: 200,
      description: 'ready for traffic (`degraded`: ready, with what runs in a reduced form listed)',
      schema: z.object({
        status: z.enum(['ready', 'degraded']), database: z.enum(['postgres', 'embedded']),
        rateLimits: z.enum(['memory', 'shared', 'per-instance fallback (redis unreachable)']), degraded: z.array(z.string()).optional(),
      }),
    },
    problems: ['UNAVAILABLE'],
    summary: 'Readiness: the database answers and every migration is applied',
    async handler({ services }) {
      let pending: string[];
      try {
        const conn = await services.db.connect();
        try {
          pending = await pendingMigrations(conn);
        } finally {
          await conn.release();
        }
      } catch {
        throw dependencyUnavailable('the database');
      }
      if (pending.length > 0) throw new AppError('UNAVAILABLE', `${pending.length} migration(s) not applied`, { headers: { 'Retry-After': '5' } });
      // Ready, but honest about what runs in a degraded form: rate limits counted per instance
      // while Redis is unreachable (desktop apps keep starting; limits are only less shared).
      const rateLimits = services.rateLimits.mode;
      const degraded = rateLimits.startsWith('per-instance') ? ['rate limits are per instance: redis is unreachable'] : [];
      return { body: { status: degraded.length ? 'degraded' : 'ready', database: services.db.kind, rateLimits, ...(degraded.length ? { degraded } : {}) } };
    },
  }),
];
