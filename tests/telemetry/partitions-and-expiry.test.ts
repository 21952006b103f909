/**
 * Partitioned storage and expiry, run on both engines the service supports: PostgreSQL 15 (the
 * harness) and embedded PGlite (PostgreSQL 18), migrated by the same runner.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/db/database';
import { applyMigrations } from '../../src/db/migrations';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { expireTelemetry } from '../../src/telemetry/expire-telemetry';
import { runTelemetryMaintenance } from '../../src/telemetry/telemetry-maintenance';
import { createPartitionsAhead, ensurePartitions, listPartitions } from '../../src/telemetry/telemetry-partitions';
import { createHarness, type Harness } from '../support/harness';
import { testConfig } from '../support/test-config';

const now = new Date('2026-11-22T10:00:00Z');

async function sql<T = Record<string, unknown>>(services: Services, text: string, params: unknown[] = []): Promise<T[]> {
  const conn = await services.db.connect();
  try { return await conn.query<T>(text, params); } finally { await conn.release(); }
}

const count = async (services: Services, table: string) => (await sql<{ n: number }>(services, `SELECT count(*)::int AS n FROM "${table}"`))[0].n;

/** Events of `users` distinct pseudonyms on `day`, written through Prisma (as any other module could). */
async function writeEvents(services: Services, productId: string, day: string, users: number) {
  await services.prisma.telemetryEvent.createMany({
    data: Array.from({ length: users }, (_, i) => ({
      at: new Date(`${day}T12:00:00Z`), pseudonym: `p-${day}-${i}`, productId, type: 'feature' as const, name: 'export.pdf', durationMs: 100 * (i + 1),
      appVersion: '5.2.1', osVersion: 'Windows 11', props: { n: i },
    })),
  });
}

function partitionScenario(engine: string, open: () => Promise<{ services: Services; close(): Promise<void> }>) {
  describe(`telemetry partitions on ${engine}`, () => {
    let services: Services;
    let close: () => Promise<void>;
    let productId: string;
    beforeAll(async () => {
      ({ services, close } = await open());
      productId = (await services.prisma.product.create({ data: { code: `T${randomBytes(3).toString('hex').toUpperCase()}`, name: 'Telemetry test' } })).id;
    });
    afterAll(() => close());

    it('stores telemetry_events as a table partitioned by range of "at"', async () => {
      const rows = await sql<{ kind: string; strategy: string }>(services,
        `SELECT c.relkind::text AS kind, p.partstrat::text AS strategy FROM pg_class c JOIN pg_partitioned_table p ON p.partrelid = c.oid WHERE c.relname = 'telemetry_events'`);
      expect(rows).toEqual([{ kind: 'p', strategy: 'r' }]);
    });

    it('creates the partitions of last month, this month and the next two, once', async () => {
      expect(await createPartitionsAhead(services, now)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
      expect(await createPartitionsAhead(services, now)).toEqual([]);
      const conn = await services.db.connect();
      try {
        expect((await listPartitions(conn)).map((p) => p.month)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
      } finally { await conn.release(); }
    });

    it('lets Prisma write and read events, routed to their month', async () => {
      await writeEvents(services, productId, '2026-11-03', 2);
      expect(await count(services, 'telemetry_events_p2026_11')).toBe(2);
      const read = await services.prisma.telemetryEvent.findMany({ where: { productId, at: { gte: new Date('2026-11-01T00:00:00Z') } } });
      expect(read).toHaveLength(2);
      expect(read[0].at.toISOString()).toBe('2026-11-03T12:00:00.000Z');
    });

    it('moves rows that reached the default partition into their month when it is created', async () => {
      await writeEvents(services, productId, '2027-03-10', 3);
      expect(await count(services, 'telemetry_events_default')).toBe(3);
      expect(await ensurePartitions(services, ['2027-03'])).toEqual(['2027-03']);
      expect(await count(services, 'telemetry_events_default')).toBe(0);
      expect(await count(services, 'telemetry_events_p2027_03')).toBe(3);
    });

    it('expires months older than 13 months by dropping their partitions, after rolling them up; dry run changes nothing', async () => {
      await ensurePartitions(services, ['2025-08', '2025-09', '2025-10']);
      await writeEvents(services, productId, '2025-08-14', 2);
      await writeEvents(services, productId, '2025-09-30', 6);
      await writeEvents(services, productId, '2025-10-25', 4);
      await services.prisma.telemetryBatch.createMany({ data: [
        { batchId: '00000000-0000-4000-8000-000000000001', accepted: 1, rejected: 0, receivedAt: new Date('2026-10-01T00:00:00Z') },
        { batchId: '00000000-0000-4000-8000-000000000002', accepted: 1, rejected: 0, receivedAt: new Date('2026-11-01T00:00:00Z') },
      ] });

      const dry = await expireTelemetry(services, now, { dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, retentionMonths: 13, eventsExpired: 8, batchRecordsExpired: 1, partitions: [{ month: '2025-08', events: 2 }, { month: '2025-09', events: 6 }] });
      expect(await count(services, 'telemetry_events_p2025_08')).toBe(2);

      const run = await expireTelemetry(services, now);
      expect(run).toMatchObject({ dryRun: false, eventsExpired: 8, batchRecordsExpired: 1 });
      expect(await services.prisma.telemetryBatch.count()).toBe(1);
      const conn = await services.db.connect();
      try {
        const months = (await listPartitions(conn)).map((p) => p.month);
        expect(months).not.toContain('2025-08');
        expect(months).not.toContain('2025-09');
        expect(months).toContain('2025-10');
      } finally { await conn.release(); }
      const rollups = await services.prisma.telemetryDailyRollup.findMany({ where: { productId, dimension: 'feature' }, orderBy: { day: 'asc' } });
      expect(rollups.map((r) => [r.day.toISOString().slice(0, 10), r.value, r.events, r.activeUsers]))
        .toEqual([['2025-08-14', 'export.pdf', 2, 2], ['2025-09-30', 'export.pdf', 6, 6]]);
      // A second run finds nothing left to do and keeps the roll-ups.
      expect(await expireTelemetry(services, now)).toMatchObject({ eventsExpired: 0, partitions: [] });
      expect(await services.prisma.telemetryDailyRollup.count({ where: { productId } })).toBe(8);
    });

    it('daily maintenance creates next months\' partitions and rolls up settled days', async () => {
      await writeEvents(services, productId, '2026-10-28', 5);
      const result = await runTelemetryMaintenance(services, new Date('2026-12-01T03:00:00Z'));
      expect(result.partitionsCreated).toEqual(['2027-02']);
      const rolled = await services.prisma.telemetryDailyRollup.findMany({ where: { productId, dimension: 'day', day: new Date('2026-10-28T00:00:00Z') } });
      expect(rolled.map((r) => [r.events, r.activeUsers])).toEqual([[5, 5]]);
    });
  });
}

partitionScenario('PostgreSQL', async () => {
  const h: Harness = await createHarness();
  return { services: h.services, close: () => h.close() };
});

partitionScenario('embedded PGlite', async () => {
  const db: Database = await openDatabase({ dataDir: 'memory://' });
  const conn = await db.connect();
  await applyMigrations(conn);
  await conn.release();
  const services = buildServices(testConfig({ dataDir: 'memory://' }), db, createLogger('silent'));
  return { services, close: async () => { await services.close(); await db.close(); } };
});
