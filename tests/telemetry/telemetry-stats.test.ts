import { randomUUID } from 'node:crypto';
import { ingestTelemetryBatch } from '../../src/telemetry/ingest-telemetry-batch';
import { TelemetryBatchBody } from '../../src/telemetry/telemetry.schemas';
import { buildCustomer, buildProduct } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { buildTelemetryWorld } from './telemetry-world';

let h: Harness;
let support: string;
let productCode: string;
let productId: string;
let customerA: string;
let customerB: string;
const now = new Date();
// Every event at one instant, so the day they fall on is known whatever the hour the test runs.
const eventAt = new Date(now.getTime() - 10 * 60_000).toISOString();
const eventDay = eventAt.slice(0, 10);
const at = (_label: number) => eventAt;

async function use(customerId: string, version: string, features: string[], sessionMs: number) {
  const w = await buildTelemetryWorld(h, { customerId, productId });
  const events = [
    { type: 'session_start', name: 'session', at: at(30) },
    ...features.map((name) => ({ type: 'feature', name, at: at(20), durationMs: 50 })),
    { type: 'session_end', name: 'session', at: at(10), durationMs: sessionMs },
  ];
  const body = TelemetryBatchBody.parse({ batchId: randomUUID(), app: { version, os: 'Windows 11 23H2' }, events });
  await ingestTelemetryBatch(h.services, w, body, now);
}

beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
  const product = await buildProduct(h);
  productCode = product.code;
  productId = product.id;
  customerA = (await buildCustomer(h)).id;
  customerB = (await buildCustomer(h)).id;
  // Customer A: five holders on 5.2.1, two of whom use a rare feature; customer B: one holder on 6.0.
  for (let i = 1; i <= 5; i++) await use(customerA, '5.2.1', i <= 2 ? ['export.pdf', 'rare.feature'] : ['export.pdf'], i * 1000);
  await use(customerB, '6.0.0', ['export.pdf'], 60_000);
});
afterAll(() => h.close());

const stats = (query: Record<string, string>) =>
  h.api.get('/v1/telemetry/stats').query({ product: productCode, from: new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10), to: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10), ...query }).set(h.auth(support));

describe('GET /v1/telemetry/stats', () => {
  it('counts events and active users per feature, suppressing cells of fewer than 5 users', async () => {
    const res = await stats({ groupBy: 'feature' });
    expect(res.status).toBe(200);
    expect(res.body.cells).toEqual([{ key: 'export.pdf', events: 6, activeUsers: 6, activeUsersExact: true, durationMs: { p50: 50, p90: 50 } }]);
    expect(res.body.suppressedCells).toBe(1);
    expect(JSON.stringify(res.body)).not.toContain('rare.feature');
    expect(res.body).toMatchObject({ minCellUsers: 5, product: { id: productId, code: productCode }, sources: { dailyRollups: null } });
  });

  it('gives session duration percentiles per version, and suppresses the version only one person runs', async () => {
    const res = await stats({ groupBy: 'version' });
    expect(res.body.cells).toEqual([{ key: '5.2.1', events: 17, activeUsers: 5, activeUsersExact: true, durationMs: { p50: 3000, p90: 4600 } }]);
    expect(res.body.suppressedCells).toBe(1);
  });

  it('groups by day and by OS', async () => {
    expect((await stats({ groupBy: 'day' })).body.cells).toEqual([expect.objectContaining({ key: eventDay, events: 20, activeUsers: 6 })]);
    expect((await stats({ groupBy: 'os' })).body.cells).toEqual([expect.objectContaining({ key: 'Windows 11 23H2', activeUsers: 6 })]);
  });

  it("narrows to one customer through its contacts' pseudonyms, with the same suppression", async () => {
    const a = await stats({ groupBy: 'feature', customerId: customerA });
    expect(a.body.cells).toEqual([expect.objectContaining({ key: 'export.pdf', events: 5, activeUsers: 5 })]);
    const b = await stats({ groupBy: 'feature', customerId: customerB });
    expect(b.body.cells).toEqual([]);
    expect(b.body.suppressedCells).toBe(1);
    expect((await stats({ groupBy: 'feature', customerId: randomUUID() })).status).toBe(404);
  });

  it('answers for expired periods from the daily roll-ups, judged by their busiest day', async () => {
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    await h.services.prisma.telemetryDailyRollup.createMany({
      data: [
        { day: day('2024-05-01'), productId, dimension: 'feature', value: 'export.pdf', events: 30, activeUsers: 7 },
        { day: day('2024-05-02'), productId, dimension: 'feature', value: 'export.pdf', events: 20, activeUsers: 6 },
        { day: day('2024-05-01'), productId, dimension: 'feature', value: 'old.rare', events: 9, activeUsers: 2 },
        { day: day('2024-05-02'), productId, dimension: 'feature', value: 'old.rare', events: 9, activeUsers: 2 },
        { day: day('2024-05-03'), productId, dimension: 'feature', value: 'old.rare', events: 9, activeUsers: 2 },
      ],
    });
    const res = await stats({ groupBy: 'feature', from: '2024-05-01', to: '2024-05-04' });
    expect(res.status).toBe(200);
    expect(res.body.cells).toEqual([{ key: 'export.pdf', events: 50, activeUsers: 13, activeUsersExact: false, durationMs: null }]);
    expect(res.body.suppressedCells).toBe(1);
    expect(res.body.sources).toEqual({ rawEvents: null, dailyRollups: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T00:00:00.000Z' } });
  });

  it('answers bad queries with 400 pointers and an unknown product with 404', async () => {
    const bad = await stats({ groupBy: 'colour', from: 'soon' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(['/query/from', '/query/groupBy']);
    expect((await stats({ to: '2020-01-01' })).status).toBe(400);
    expect((await stats({ product: 'NOPE' })).status).toBe(404);
  });

  it('is for support, admin and the privacy officer only', async () => {
    expect((await stats({}).set(h.auth(await h.login('auditor')))).status).toBe(403);
    expect((await stats({}).set(h.auth(await h.login('privacy_officer')))).status).toBe(200);
  });
});
