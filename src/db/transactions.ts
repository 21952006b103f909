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
 *    The guard needs to know, at any query, whether it runs inside a transaction's callback: an
 *    `AsyncLocalStorage`. On Node 20, once one `run()` has happened, every promise the process
 *    makes pays a hook for it (≈ 1.6 % of the busiest route's time, bench/README.md). So it is
 *    on where it matters — the embedded database always (one connection: there the mistake is a
 *    self-deadlock, and the guard turns it into an error), tests and development — and off on
 *    PostgreSQL when NODE_ENV=production (`NOMINA_TRANSACTION_GUARD=on|off` overrides; see
 *    docs/operating.md). Off, such a query takes a second pooled connection, as plain Prisma does.
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

/** Where the callback runs: only when the guard is on (see 1. above: it costs every promise). */
const openTransaction = new AsyncLocalStorage<OpenTransaction>();
/** The open transactions by their client: what `beforeCommit` needs, without async context. */
const openByTx = new WeakMap<object, OpenTransaction>();

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
  const open = openByTx.get(tx as object);
  if (open) open.beforeCommit.push(step);
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

export interface TransactionDiscipline {
  /**
   * Refuse a second connection from inside a transaction's callback (1. above). Default on; the
   * embedded database always has it.
   */
  guard?: boolean;
}

/** Wraps the client's interactive `$transaction` with the discipline above. */
export function disciplinedTransactions(prisma: PrismaClient, { guard = true }: TransactionDiscipline = {}): PrismaClient {
  const original = prisma.$transaction.bind(prisma) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (first: unknown, options?: unknown) => {
    assertOutsideTransaction('a nested $transaction');
    if (typeof first !== 'function') return original(first, options);
    const callback = first as (tx: Tx) => Promise<unknown>;
    const inTransaction = async (open: OpenTransaction) => {
      const result = await callback(open.tx);
      // A step may record another (an audit entry about an audit entry): all run before commit.
      for (let step = open.beforeCommit.shift(); step; step = open.beforeCommit.shift()) await step();
      return result;
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await original(async (tx: Tx) => {
          const open: OpenTransaction = { tx, beforeCommit: [] };
          openByTx.set(tx as object, open);
          try {
            return await (guard ? openTransaction.run(open, inTransaction, open) : inTransaction(open));
          } finally {
            openByTx.delete(tx as object);
          }
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
