/**
 * A minimal raw-SQL connection, the same over PostgreSQL (`pg`) and embedded PGlite.
 * Used where Prisma is the wrong tool: migrations (multi-statement scripts), advisory locks,
 * partition maintenance.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export interface SqlConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  release(): Promise<void>;
}

export async function connectPg(pool: Pool): Promise<SqlConnection> {
  const client: PoolClient = await pool.connect();
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(script: string) {
      await client.query(script);
    },
    async release() {
      client.release();
    },
  };
}

export function connectPglite(pglite: PGlite): SqlConnection {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pglite.query(sql, params)).rows as T[];
    },
    async exec(script: string) {
      await pglite.exec(script);
    },
    async release() {},
  };
}
