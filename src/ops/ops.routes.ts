import { defineRoute, publicAccess } from '../http/route';
import { AppError } from '../http/problem';
import { pendingMigrations } from '../db/migrations';

export const opsRoutes = [
  defineRoute({
    method: 'get', path: '/healthz', tag: 'operations', access: publicAccess,
    summary: 'Liveness: the process answers',
    async handler() {
      return { body: { status: 'ok' } };
    },
  }),
  defineRoute({
    method: 'get', path: '/readyz', tag: 'operations', access: publicAccess,
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
        throw new AppError('UNAVAILABLE', 'the database does not answer');
      }
      if (pending.length > 0) throw new AppError('UNAVAILABLE', `${pending.length} migration(s) not applied`);
      return { body: { status: 'ready', database: services.db.kind } };
    },
  }),
];
