/**
 * The transaction discipline (src/db/transactions.ts), on both databases: a second connection
 * from inside a transaction fails at once instead of waiting for itself (the embedded database
 * used to hang for 120 s), audit entries recorded in a transaction are appended just before it
 * commits (and vanish with a rollback), and a deadlock victim is retried.
 */
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { openMigratedDatabase } from '../../src/startup';
import { detached, SecondConnectionError } from '../../src/db/transactions';
import { openDatabase, type Database } from '../../src/db/database';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { buildContact } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { testConfig } from '../support/test-config';

interface World { services: Services; close(): Promise<void> }

async function postgres(): Promise<World> {
  const h: Harness = await createHarness();
  return { services: h.services, close: () => h.close() };
}

async function embedded(): Promise<World> {
  const config = testConfig({ dataDir: 'memory://' });
  const db: Database = await openMigratedDatabase(config, createLogger('silent'));
  const services = buildServices(config, db, createLogger('silent'));
  return { services, close: async () => { await services.close(); await db.close(); } };
}

describe.each([['PostgreSQL', postgres], ['the embedded database', embedded]] as const)('transactions on %s', (_name, open) => {
  let world: World;
  beforeAll(async () => { world = await open(); }, 60_000);
  afterAll(() => world.close());

  it('refuses a query on the base client from inside a transaction, at once', async () => {
    const { prisma } = world.services;
    const started = Date.now();
    await expect(prisma.$transaction(async (tx) => {
      await tx.staffUser.count();
      return prisma.staffUser.count();
    })).rejects.toBeInstanceOf(SecondConnectionError);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The database is still usable afterwards.
    await expect(prisma.staffUser.count()).resolves.toEqual(expect.any(Number));
  });

  it('refuses a raw connection and a nested transaction from inside a transaction', async () => {
    const { prisma, db } = world.services;
    await expect(prisma.$transaction(async () => db.connect())).rejects.toBeInstanceOf(SecondConnectionError);
    await expect(prisma.$transaction(async () => prisma.$transaction(async (inner) => inner.staffUser.count()))).rejects.toBeInstanceOf(SecondConnectionError);
  });

  it('lets work detached from the request run outside the transaction it was started in', async () => {
    const { prisma } = world.services;
    let background: Promise<number> | undefined;
    await prisma.$transaction(async (tx) => {
      background = detached(() => new Promise<number>((resolve, reject) => setImmediate(() => prisma.staffUser.count().then(resolve, reject))));
      return tx.staffUser.count();
    });
    await expect(background).resolves.toEqual(expect.any(Number));
  });

  it('appends audit entries recorded in a transaction when it commits, and drops them when it rolls back', async () => {
    const { prisma, audit } = world.services;
    const contact = await buildContact({ services: world.services } as never);
    await prisma.$transaction(async (tx) => {
      await audit.record({ actor: { type: 'system', id: 'test' }, action: 'test.committed', subjectId: contact.id, details: { n: 1 } }, tx);
      await tx.contact.update({ where: { id: contact.id }, data: { updatedAt: new Date() } });
    });
    await expect(prisma.$transaction(async (tx) => {
      await audit.record({ actor: { type: 'system', id: 'test' }, action: 'test.rolled_back', subjectId: contact.id }, tx);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await prisma.auditEntry.count({ where: { action: 'test.committed' } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { action: 'test.rolled_back' } })).toBe(0);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});

/**
 * NOMINA_TRANSACTION_GUARD=off (the default in production on PostgreSQL, docs/operating.md): the
 * guard's AsyncLocalStorage is never entered (on Node 20 it costs every promise), a base-client
 * query inside a transaction takes a second pooled connection as plain Prisma would, and the
 * audit trail is still appended just before commit. The embedded database keeps the guard.
 */
describe('the transaction guard turned off', () => {
  let h: Harness;
  let db: Database;
  let services: Services;
  beforeAll(async () => {
    h = await createHarness();
    db = await openDatabase({ databaseUrl: h.databaseUrl, dataDir: h.config.dataDir, poolSize: 5, transactionGuard: false });
    services = buildServices({ ...h.config, transactionGuard: false }, db, createLogger('silent'));
  }, 60_000);
  afterAll(async () => { await services.close(); await db.close(); await h.close(); });

  it('on PostgreSQL: lets a base-client query and a raw connection run inside a transaction (on other connections)', async () => {
    const { prisma } = services;
    const counted = await prisma.$transaction(async (tx) => {
      await tx.staffUser.count();
      const conn = await db.connect();
      try { await conn.query('SELECT 1', []); } finally { await conn.release(); }
      return prisma.staffUser.count();
    });
    expect(counted).toEqual(expect.any(Number));
  });

  it('on PostgreSQL: still appends audit entries just before commit, and drops them on rollback', async () => {
    const { prisma, audit } = services;
    const contact = await buildContact({ services } as never);
    await prisma.$transaction(async (tx) => {
      await audit.record({ actor: { type: 'system', id: 'test' }, action: 'test.unguarded_committed', subjectId: contact.id }, tx);
      // Recorded before the row change, appended after it: the chain is still locked last.
      await tx.contact.update({ where: { id: contact.id }, data: { updatedAt: new Date() } });
      expect(await tx.auditEntry.count({ where: { action: 'test.unguarded_committed' } })).toBe(0);
    });
    await expect(prisma.$transaction(async (tx) => {
      await audit.record({ actor: { type: 'system', id: 'test' }, action: 'test.unguarded_rolled_back', subjectId: contact.id }, tx);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await prisma.auditEntry.count({ where: { action: 'test.unguarded_committed' } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { action: 'test.unguarded_rolled_back' } })).toBe(0);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it('does not apply to the embedded database, which refuses a second connection regardless', async () => {
    const embeddedDb = await openDatabase({ dataDir: 'memory://', transactionGuard: false });
    try {
      await expect(embeddedDb.prisma.$transaction(async () => embeddedDb.connect())).rejects.toBeInstanceOf(SecondConnectionError);
    } finally {
      await embeddedDb.close();
    }
  });
});

describe('a deadlock on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('is retried: two transactions locking two rows in opposite orders both complete', async () => {
    const a = await buildContact(h);
    const b = await buildContact(h);
    const { prisma } = h.services;
    let attempts = 0;
    const lockBoth = (first: string, second: string) => prisma.$transaction(async (tx) => {
      attempts += 1;
      await tx.$executeRawUnsafe('SELECT 1 FROM contacts WHERE id = $1::uuid FOR UPDATE', first);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await tx.$executeRawUnsafe('SELECT 1 FROM contacts WHERE id = $1::uuid FOR UPDATE', second);
    });
    await expect(Promise.all([lockBoth(a.id, b.id), lockBoth(b.id, a.id)])).resolves.toHaveLength(2);
    expect(attempts).toBeGreaterThan(2); // one of them was chosen as the victim and ran again
  });
});
