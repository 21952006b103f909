import { forgetPartition } from '../../src/telemetry/telemetry-partitions';
import { createHarness, type Harness } from '../support/harness';
import { listSubjectTelemetry } from '../../src/telemetry/subject-telemetry';
import { telemetryPseudonym } from '../../src/telemetry/pseudonym';
import { buildContact, buildProduct } from '../support/factories';
import { batch, buildTelemetryWorld, event, validationToken, type TelemetryWorld } from './telemetry-world';

let h: Harness;
let world: TelemetryWorld;
beforeAll(async () => {
  h = await createHarness();
  world = await buildTelemetryWorld(h);
});
afterAll(() => h.close());

const post = (body: unknown, token = world.token) => h.api.post('/v1/telemetry').set(h.auth(token)).send(body as object);
const storedEvents = async (productId = world.productId) =>
  (await h.services.db.connect().then(async (c) => { try { return await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_events WHERE "productId" = $1`, [productId]); } finally { await c.release(); } }))[0].n;

const metric = async (name: string) => {
  const text = await h.services.metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(name));
};

describe('POST /v1/telemetry', () => {
  it('stores a batch and answers 202 with the number accepted', async () => {
    const res = await post(batch([event(), event({ type: 'session_start', name: 'session' }), event({ type: 'session_end', name: 'session', durationMs: 60_000 })]));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 3, rejected: 0, duplicate: false, telemetry: 'on' });
    expect(await storedEvents()).toBe(3);
  });

  it("stores each event under the holder's pseudonym of its month, with the batch's versions unless the event names its own", async () => {
    const w = await buildTelemetryWorld(h);
    const now = Date.now();
    const lastMonth = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1) - 60_000);
    const events = [
      event({ name: 'export.pdf', durationMs: 42, props: { pages: 3 } }, new Date(now - 60_000)),
      event({ name: 'print', durationMs: undefined, props: undefined, appVersion: '6.0.0', osVersion: 'Windows 10 22H2' }, new Date(now - 30_000)),
      ...(now - lastMonth.getTime() < 29 * 86_400_000 ? [event({ name: 'late' }, lastMonth)] : []),
    ];
    expect((await post(batch(events), w.token)).body).toMatchObject({ accepted: events.length, rejected: 0 });
    const conn = await h.services.db.connect();
    let rows: Record<string, unknown>[];
    try {
      rows = await conn.query(`SELECT to_char("at", 'YYYY-MM') AS month, "pseudonym", "name", "durationMs", "appVersion", "osVersion", "props"
                                 FROM telemetry_events WHERE "productId" = $1 ORDER BY "at"`, [w.productId]);
    } finally {
      await conn.release();
    }
    const key = h.services.config.secrets.telemetryKey;
    expect(rows).toHaveLength(events.length);
    for (const row of rows) expect(row.pseudonym).toBe(telemetryPseudonym(key, w.holderId, row.month as string));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('export.pdf')).toMatchObject({ durationMs: 42, appVersion: '5.2.1', osVersion: 'Windows 11 23H2', props: { pages: 3 } });
    expect(byName.get('print')).toMatchObject({ durationMs: null, appVersion: '6.0.0', osVersion: 'Windows 10 22H2', props: null });
  });

  it('answers a replayed batch with duplicate: true and stores nothing more', async () => {
    const body = batch([event(), event()]);
    const before = await storedEvents();
    expect((await post(body)).body).toMatchObject({ accepted: 2, duplicate: false });
    const again = await post(body);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: true });
    expect(await storedEvents()).toBe(before + 2);
  });

  it('stores a batch exactly once when 10 replays arrive at the same time', async () => {
    const world2 = await buildTelemetryWorld(h);
    const body = batch(Array.from({ length: 50 }, () => event()));
    const results = await Promise.all(Array.from({ length: 10 }, () => post(body, world2.token)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(results.filter((r) => r.body.duplicate === true)).toHaveLength(9);
    expect(await storedEvents(world2.productId)).toBe(50);
    expect(await h.services.prisma.telemetryBatch.count({ where: { batchId: body.batchId } })).toBe(1);
    expect((await metric('nomina_telemetry_duplicates_total')).join()).toMatch(/ (9|[1-9]\d+)$/);
  });

  it('skips and counts events dated in the future or older than 30 days', async () => {
    const now = Date.now();
    const res = await post(batch([
      event({}, new Date(now - 60_000)),
      event({}, new Date(now + 2 * 60_000)), // within the clock-skew allowance
      event({}, new Date(now + 3600_000)),
      event({}, new Date(now - 31 * 86_400_000)),
    ]));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 2, duplicate: false });
    expect((await metric('nomina_telemetry_dropped_total')).join('\n')).toMatch(/reason="future"} 1/);
    expect((await metric('nomina_telemetry_dropped_total')).join('\n')).toMatch(/reason="stale"} 1/);
  });

  it('refuses malformed events with 400 and pointers, storing nothing of the batch', async () => {
    const before = await storedEvents();
    const res = await post(batch([
      event(),
      event({ type: 'teleport' }),
      event({ type: 'session_end', name: 'session', durationMs: undefined }),
      event({ props: { nested: { a: 1 } } }),
      event({ at: 'yesterday' }),
      event({ licenceId: world.licenceId }),
    ]));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const pointers = (res.body.errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/events/1/type', '/events/2/durationMs', '/events/4/at']));
    expect(pointers.some((p) => p.startsWith('/events/3/props'))).toBe(true);
    expect(pointers).toContain('/events/5/licenceId');
    expect(await storedEvents()).toBe(before);
  });

  it('refuses more than 500 events with 413', async () => {
    const res = await post(batch(Array.from({ length: 501 }, () => ({ type: 'feature', name: 'f', at: new Date().toISOString() }))));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a body over 256 kB with a 413 problem', async () => {
    const res = await post(batch(Array.from({ length: 150 }, () => event({ props: { stack: 'x'.repeat(1900) } }))));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a missing, forged or expired licence token with 401', async () => {
    const body = batch([event()]);
    expect((await h.api.post('/v1/telemetry').send(body)).status).toBe(401);
    expect((await post(body, 'not-a-token')).status).toBe(401);
    expect((await post(body, `${world.token.slice(0, -4)}AAAA`)).status).toBe(401);
    // The token lasts the policy's offline grace (72 h): three days later it has expired.
    const realNow = h.services.now;
    h.services.now = () => new Date(Date.now() + 73 * 3600_000);
    try {
      const res = await post(body);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    } finally {
      h.services.now = realNow;
    }
    expect(await h.services.prisma.telemetryBatch.count({ where: { batchId: body.batchId } })).toBe(0);
  });

  it('refuses a token issued for another product with 403', async () => {
    // Validating this licence's key for another product gives a signed PRODUCT_MISMATCH token.
    const other = await buildProduct(h);
    const refused = await validationToken(h, world.key, other.code, false);
    const res = await post(batch([event()]), refused);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('LICENCE_NOT_USABLE');
    // A valid token, but the batch says it comes from another product.
    expect((await post({ ...batch([event()]), product: other.code })).status).toBe(403);
    expect((await post({ ...batch([event()]), product: world.productCode })).status).toBe(202);
  });

  it('refuses the token of a suspended or revoked licence with 403', async () => {
    for (const status of ['suspended', 'revoked'] as const) {
      const w = await buildTelemetryWorld(h);
      const action = status === 'suspended' ? 'suspend' : 'revoke';
      await h.api.post(`/v1/licences/${w.licenceId}/actions/${action}`).set(h.auth(await h.login('admin'))).send({ reason: 'test' }).expect(200);
      const res = await post(batch([event()]), w.token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('LICENCE_NOT_USABLE');
      expect(await storedEvents(w.productId)).toBe(0);
    }
  });

  it('counts ingestion in the metrics', async () => {
    await post(batch([event()]));
    const text = await h.services.metrics.registry.metrics();
    expect(text).toMatch(/nomina_telemetry_events_ingested_total \d+/);
    expect(text).toMatch(/nomina_telemetry_batches_total\{outcome="stored"\} \d+/);
    expect(text).toMatch(/nomina_telemetry_ingest_duration_seconds_count \d+/);
  });

  it('keeps identifiers out of the stored rows (raw SQL over every column)', async () => {
    const w = await buildTelemetryWorld(h);
    await post(batch([event(), event({ type: 'error', name: 'TypeError', props: { code: 'E42' } })]), w.token)
      .set('X-Forwarded-For', '203.0.113.7').expect(202);
    const conn = await h.services.db.connect();
    try {
      const rows = await conn.query<Record<string, unknown>>(`SELECT to_jsonb(e)::text AS row FROM telemetry_events e WHERE "productId" = $1`, [w.productId]);
      expect(rows).toHaveLength(2);
      const columns = await conn.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'telemetry_events' ORDER BY 1`);
      expect(columns.map((c) => c.column_name).sort()).toEqual(['appVersion', 'at', 'durationMs', 'id', 'name', 'osVersion', 'productId', 'props', 'pseudonym', 'receivedAt', 'type'].sort());
      const licence = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: w.licenceId } });
      for (const { row } of rows) {
        for (const forbidden of [w.licenceId, w.holderId, w.customerId, licence.keyDigest, '203.0.113.7', '127.0.0.1', '::1', w.token]) {
          expect(String(row)).not.toContain(forbidden);
        }
      }
      const batches = await conn.query<Record<string, unknown>>(`SELECT to_jsonb(b)::text AS row FROM telemetry_batches b`);
      for (const { row } of batches) expect(String(row)).not.toContain(w.licenceId);
    } finally {
      await conn.release();
    }
    expect(h.logs.join('')).not.toContain(w.token);
  });

  it('accepts an event for a month without a partition yet (created on demand)', async () => {
    const w = await buildTelemetryWorld(h);
    const at = new Date(Date.now() - 29 * 86_400_000);
    const month = at.toISOString().slice(0, 7);
    const conn = await h.services.db.connect();
    try {
      await conn.exec(`DROP TABLE IF EXISTS "telemetry_events_p${month.replace('-', '_')}"`);
      forgetPartition(h.services, month);
      expect((await post(batch([event({}, at)]), w.token)).body).toMatchObject({ accepted: 1 });
      const rows = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "telemetry_events_p${month.replace('-', '_')}" WHERE "productId" = $1`, [w.productId]);
      expect(rows[0].n).toBe(1);
    } finally {
      await conn.release();
    }
  });
});


describe('what the ingestion remembers about a licence', () => {
  it('files events under the current holder even if the licence changed hands since its last batch', async () => {
    const w = await buildTelemetryWorld(h);
    await post(batch([event()]), w.token).expect(202);
    const successor = await buildContact(h, { customerId: w.customerId });
    await h.services.prisma.licence.update({ where: { id: w.licenceId }, data: { holderId: successor.id } });
    await post(batch([event()]), w.token).expect(202);
    expect(await listSubjectTelemetry(h.services, w.holderId)).toHaveLength(1);
    expect(await listSubjectTelemetry(h.services, successor.id)).toHaveLength(1);
  });
});

describe('licence authentication of POST /v1/telemetry', () => {
  it('refuses a caller without a valid licence token before reading the body', async () => {
    // Over 256 kB: had the body been read first, the answer would be 413.
    const huge = batch(Array.from({ length: 150 }, () => event({ props: { stack: 'x'.repeat(1900) } })));
    for (const auth of [{}, { Authorization: 'Bearer forged.token.value' }, h.auth(await h.login('admin'))]) {
      const res = await h.api.post('/v1/telemetry').set(auth).send(huge);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('POST /v1/telemetry rate limit', () => {
  it('answers a runaway device with 429 and Retry-After after 120 batches a minute, storing nothing more', async () => {
    const own = await buildTelemetryWorld(h);
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) statuses.push((await post(batch([event()]), own.token)).status);
    expect(statuses.slice(0, 120).every((s) => s === 202)).toBe(true);
    const refused = await post(batch([event()]), own.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await storedEvents(own.productId)).toBe(120);
  });
});
