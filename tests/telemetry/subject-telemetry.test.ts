/**
 * The privacy hooks: a subject's telemetry found and erased through their recomputed monthly
 * pseudonyms — on PostgreSQL and on embedded PGlite, through the real ingestion use case.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/db/database';
import { applyMigrations } from '../../src/db/migrations';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { ingestTelemetryBatch } from '../../src/telemetry/ingest-telemetry-batch';
import { eraseSubjectTelemetry, listSubjectTelemetry, streamSubjectTelemetry } from '../../src/telemetry/subject-telemetry';
import { TelemetryBatchBody } from '../../src/telemetry/telemetry.schemas';
import { buildContact, buildCustomer, buildPolicy, buildProduct } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { testConfig } from '../support/test-config';

async function holderWithLicence(h: Harness, productId: string) {
  const customer = await buildCustomer(h);
  const holder = await buildContact(h, { customerId: customer.id });
  const policy = await buildPolicy(h, { productId });
  const licence = await h.services.prisma.licence.create({
    data: { customerId: customer.id, holderId: holder.id, policyId: policy.id, productId, keyDigest: randomUUID(), keyLast4: 'TEST', entitlements: [] },
  });
  return { holderId: holder.id, licenceId: licence.id };
}

const body = (days: string[]) => TelemetryBatchBody.parse({
  batchId: randomUUID(), app: { version: '5.2.1', os: 'Windows 11' },
  events: days.map((day, i) => ({ type: 'feature', name: `f${i}`, at: `${day}T09:00:00Z`, durationMs: 10 })),
});

function subjectScenario(engine: string, open: () => Promise<{ h: Harness; close(): Promise<void> }>) {
  describe(`a subject's telemetry on ${engine}`, () => {
    let h: Harness;
    let close: () => Promise<void>;
    let subject: { holderId: string; licenceId: string };
    let other: { holderId: string; licenceId: string };
    let productId: string;
    beforeAll(async () => {
      ({ h, close } = await open());
      h.services.now = () => new Date('2026-11-22T10:00:00Z');
      const product = await buildProduct(h);
      productId = product.id;
      subject = await holderWithLicence(h, product.id);
      other = await holderWithLicence(h, product.id);
      const october = new Date('2026-10-20T10:00:00Z');
      const november = new Date('2026-11-22T10:00:00Z');
      expect(await ingestTelemetryBatch(h.services, subject, body(['2026-10-10', '2026-10-14']), october)).toMatchObject({ accepted: 2 });
      expect(await ingestTelemetryBatch(h.services, subject, body(['2026-11-01', '2026-11-21']), november)).toMatchObject({ accepted: 2 });
      expect(await ingestTelemetryBatch(h.services, other, body(['2026-10-25', '2026-11-02', '2026-11-03']), november)).toMatchObject({ accepted: 3 });
    });
    afterAll(() => close());

    it('stores a different pseudonym each month, and no identifier of the subject', async () => {
      const rows = await h.services.prisma.telemetryEvent.findMany({ select: { pseudonym: true, at: true } });
      const subjectEvents = await listSubjectTelemetry(h.services, subject.holderId, {});
      expect(subjectEvents).toHaveLength(4);
      const pseudonymsByMonth = new Map<string, Set<string>>();
      for (const row of rows) {
        const month = row.at.toISOString().slice(0, 7);
        pseudonymsByMonth.set(month, (pseudonymsByMonth.get(month) ?? new Set()).add(row.pseudonym));
      }
      expect(pseudonymsByMonth.get('2026-10')?.size).toBe(2);
      expect(pseudonymsByMonth.get('2026-11')?.size).toBe(2);
      const all = [...pseudonymsByMonth.get('2026-10')!, ...pseudonymsByMonth.get('2026-11')!];
      expect(new Set(all).size).toBe(4);
      expect(JSON.stringify(rows)).not.toContain(subject.holderId);
    });

    it("lists exactly the subject's events, month by month, within the range asked", async () => {
      const events = await listSubjectTelemetry(h.services, subject.holderId, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
      expect(events.map((e) => e.at.toISOString().slice(0, 10))).toEqual(['2026-10-10', '2026-10-14', '2026-11-01', '2026-11-21']);
      expect(events[0]).toMatchObject({ type: 'feature', name: 'f0', durationMs: 10, appVersion: '5.2.1', osVersion: 'Windows 11' });
      const november = await listSubjectTelemetry(h.services, subject.holderId, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-15T00:00:00Z') });
      expect(november).toHaveLength(1);
    });

    it('streams the export a page at a time, in time order, losing and repeating nothing where a page ends between equal timestamps', async () => {
      const tied = await holderWithLicence(h, productId);
      expect(await ingestTelemetryBatch(h.services, tied, body(['2026-11-05', '2026-11-05', '2026-11-05', '2026-11-05', '2026-11-05', '2026-11-06']), new Date('2026-11-22T10:00:00Z'))).toMatchObject({ accepted: 6 });
      const items = [];
      for await (const item of streamSubjectTelemetry(h.services, tied.holderId, ['2026-10', '2026-11', '2026-12'], 2)) items.push(item);
      expect(items.map((i) => i.at)).toEqual([...Array(5).fill('2026-11-05T09:00:00.000Z'), '2026-11-06T09:00:00.000Z']);
      expect(items.map((i) => i.name).sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
      expect(items[0]).toEqual({ month: '2026-11', at: '2026-11-05T09:00:00.000Z', type: 'feature', name: expect.any(String), durationMs: 10, appVersion: '5.2.1', osVersion: 'Windows 11', props: null });
    });

    it("erases the subject's events only, and reports counts; a second run finds nothing", async () => {
      expect(await eraseSubjectTelemetry(h.services, subject.holderId)).toEqual({ events: 4, months: 2 });
      expect(await listSubjectTelemetry(h.services, subject.holderId)).toEqual([]);
      expect(await listSubjectTelemetry(h.services, other.holderId)).toHaveLength(3);
      expect(await eraseSubjectTelemetry(h.services, subject.holderId)).toEqual({ events: 0, months: 0 });
    });
  });
}

subjectScenario('PostgreSQL', async () => {
  const h = await createHarness();
  return { h, close: () => h.close() };
});

subjectScenario('embedded PGlite', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  const conn = await db.connect();
  await applyMigrations(conn);
  await conn.release();
  const services: Services = buildServices(testConfig({ dataDir: 'memory://' }), db, createLogger('silent'));
  // The factories only need the services.
  const h = { services, db } as unknown as Harness;
  return { h, close: async () => { await services.close(); await db.close(); } };
});
