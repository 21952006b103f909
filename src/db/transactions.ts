/**
 * Transaction discipline, the same on PostgreSQL and on the embedded database.
 *
 * 1. **One connection per transaction.** The embedded database is a single session: while a
 *    transaction is open, any query that does not go through that transaction's `tx` waits for
 *    the transaction — which waits for the query. On PostgreSQL the same mistake takes a second
 *    pooled connection and can deadlock on the rows the transaction holds. So a query on the
 *    base client, a raw connection (`db.connect()`) or a nested `$transaction` started from inside
 *    a transaction's callback fails at once with `SecondConnectionError`, on both databases, and
 *    the test suites find every such path.
 * 2. **The audit trail is locked last.** Appending to the hash chain takes one global lock.
 *    Entries recorded inside a transaction are appended just before it commits (`beforeCommit`),
 *    so no transaction ever waits for a row while holding the chain — the lock order is always
 *    "rows, then the chain", and two changes of one person cannot deadlock through it.
 * 3. **A deadlock victim is retried.** Where PostgreSQL still picks a victim (40P01) or a
 *    serialisable transaction fails (40001), the whole callback runs again, a few times, before
 *    the error reaches the caller. Callbacks therefore do database work only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../generated/prisma/client';
import { sqlStateOf } from '../logger';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

interface OpenTransaction {
  tx: Tx;
  beforeCommit: (() => Promise<void>)[];
}

const openTransaction = new AsyncLocalStorage<OpenTransaction>();

export class SecondConnectionError extends Error {
  constructor(what: string) {
    super(`${what} inside an open transaction: use the transaction's own client (tx) instead`);
    this.name = 'SecondConnectionError';
  }
}

/** Throws when called from inside a transaction's callback (see 1. above). */
export function assertOutsideTransaction(what: string): void {
  if (openTransaction.getStore()) throw new SecondConnectionError(what);
}

/**
 * Runs `step` just before the transaction that `tx` belongs to commits, still inside it; at once
 * when `tx` is not a transaction opened through `disciplinedTransactions`.
 */
export async function beforeCommit(tx: Tx, step: () => Promise<void>): Promise<void> {
  const open = openTransaction.getStore();
  if (open?.tx === tx) open.beforeCommit.push(step);
  else await step();
}

/** Runs work that outlives the request or transaction it was started from (background jobs). */
export function detached<T>(work: () => T): T {
  return openTransaction.exit(work);
}

const RETRYABLE_STATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;
/**
 * How long a transaction may wait for a connection, and run. Prisma's defaults (2 s, 5 s) turn a
 * short burst on a busy machine into errors; past these, the caller gets a 503 (pool saturated).
 */
const DEFAULT_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

export function isRetryableConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state && RETRYABLE_STATES.has(state)) return true;
  // Prisma's own code for "write conflict or deadlock" when it did not keep the SQLSTATE.
  return (error as { code?: unknown })?.code === 'P2034';
}

/** Wraps the client's interactive `$transaction` with the discipline above. */
export function disciplinedTransactions(prisma: PrismaClient): PrismaClient {
  const original = prisma.$transaction.bind(prisma) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (first: unknown, options?: unknown) => {
    assertOutsideTransaction('a nested $transaction');
    if (typeof first !== 'function') return original(first, options);
    const callback = first as (tx: Tx) => Promise<unknown>;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await original(async (tx: Tx) => {
          const open: OpenTransaction = { tx, beforeCommit: [] };
          return openTransaction.run(open, async () => {
            const result = await callback(tx);
            for (const step of open.beforeCommit.splice(0)) await step();
            return result;
          });
        }, { ...DEFAULT_OPTIONS, ...(options as object | undefined) });
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  };
  Object.defineProperty(prisma, '$transaction', { value: wrapped, configurable: true, writable: true });
  return prisma;
}

/** A driver adapter factory whose connections refuse queries from inside another transaction. */
export function guardedAdapter(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property !== 'connect') return Reflect.get(target, property, receiver);
      return async () => guardConnection(await target.connect());
    },
  });
}

const GUARDED = new Set<PropertyKey>(['queryRaw', 'executeRaw', 'startTransaction', 'executeScript']);

function guardConnection(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!GUARDED.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        assertOutsideTransaction('a query on the base client');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
