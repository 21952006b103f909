/**
 * Sending telemetry to the real server (issue 7): a 5xx is retried after a backoff, a 429 waits
 * for its Retry-After, a 401 waits for a fresh token, and any other 4xx from the server drops the
 * batch without blocking the queue.
 * The proxy injects the 5xx and 429; the 4xx are the real server's. Clocks are injected: no sleeps.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EdgeReply } from './support/edge-proxy';
import { openSdkWorld, storedEvents, type IssuedLicence, type SdkWorld } from './support/sdk-world';

const HOUR = 3600_000;
let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => {
  world.proxy.reset();
  world.clock.offsetMs = 0;
});

/** A client through the proxy that flushes only when told to (the background flush would race the assertions). */
function telemetryClient(licence: IssuedLicence, storageDir = world.storageDir()) {
  return world.client(licence, { serverUrl: world.proxy.url, flushIntervalMs: HOUR, storageDir });
}

const telemetryPosts = () => world.proxy.requestsTo('/v1/telemetry');
const batchIdOf = (entry: { body: string }) => JSON.parse(entry.body).batchId as string;

/** The proxy answers the next `count` telemetry posts itself with `reply`, without forwarding them. */
function failTelemetry(count: number, reply: EdgeReply): void {
  let left = count;
  world.proxy.before = (request) => (request.path === '/v1/telemetry' && left-- > 0 ? reply : undefined);
}

describe('transient failures', () => {
  it('retries a batch after a 5xx, after the backoff and under the same batchId, and stores it once', async () => {
    const licence = await world.issue();
    const client = telemetryClient(licence);
    await client.start();
    client.track('export_pdf', { pages: 3 });
    failTelemetry(1, { status: 503, headers: {}, body: '' });

    await client.flush();
    await client.flush(); // still inside the backoff (at most 1 s after a first failure): nothing is sent
    expect(telemetryPosts().map((p) => p.status)).toEqual([503]);
    world.clock.offsetMs = 1001;
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([503, 202]);
    expect(new Set(telemetryPosts().map(batchIdOf)).size).toBe(1);
    expect(await storedEvents(world, licence.productId)).toEqual([
      { type: 'feature', name: 'export_pdf' }, { type: 'session_start', name: 'session' },
    ]);
  });

  it('waits for Retry-After after a 429 (longer than its own backoff would)', async () => {
    const licence = await world.issue();
    const client = telemetryClient(licence);
    await client.start();
    failTelemetry(1, { status: 429, headers: { 'retry-after': '120' }, body: '' });

    await client.flush();
    world.clock.offsetMs = 60_000;
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([429]);
    world.clock.offsetMs = 121_000;
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([429, 202]);
    expect(batchIdOf(telemetryPosts()[0]!)).toBe(batchIdOf(telemetryPosts()[1]!));
    expect(await storedEvents(world, licence.productId)).toHaveLength(1);
  });
});

describe('an expired licence token (401)', () => {
  it('keeps the batch and waits for the token of the next start(), then sends it', async () => {
    const licence = await world.issue({ offlineGraceHours: 0 }); // tokens live a minute
    const client = telemetryClient(licence);
    await client.start();
    client.track('while_expired');
    // The server's clock two minutes on: the token the app holds has expired.
    const serverNow = world.h.services.now;
    world.h.services.now = () => new Date(Date.now() + 2 * 60_000);
    try {
      await client.flush();
      await client.flush(); // paused: the same token is not tried again
      expect(telemetryPosts().map((p) => p.status)).toEqual([401]);
      await client.start(); // the app validates again (e.g. its periodic check): a fresh token
      await client.flush();
    } finally {
      world.h.services.now = serverNow;
    }
    expect(telemetryPosts().map((p) => p.status)).toEqual([401, 202]);
    expect(batchIdOf(telemetryPosts()[0]!)).toBe(batchIdOf(telemetryPosts()[1]!));
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'session_start', name: 'session' }, { type: 'feature', name: 'while_expired' }]);
  });
});

describe('refusals from the real server', () => {
  it('drops a batch of a suspended licence (403) instead of retrying it for ever', async () => {
    const licence = await world.issue();
    const client = telemetryClient(licence);
    await client.start();
    client.track('before_suspension');
    const admin = await world.h.login('admin');
    await world.h.api.post(`/v1/licences/${licence.licenceId}/actions/suspend`).set(world.h.auth(admin)).send({}).expect(200);
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([403]);

    await world.h.api.post(`/v1/licences/${licence.licenceId}/actions/reinstate`).set(world.h.auth(admin)).send({}).expect(200);
    client.track('after_reinstatement');
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([403, 202]);
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'feature', name: 'after_reinstatement' }]);
  });

  it('drops a batch the server cannot accept (400) and sends the next one', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    // A batch left on disk by an older SDK with an event today's server refuses (a nested prop).
    const queueDir = path.join(storageDir, 'telemetry');
    fs.mkdirSync(queueDir, { recursive: true });
    const bad = { type: 'feature', name: 'legacy', at: new Date().toISOString(), props: { nested: { a: 1 } } };
    fs.writeFileSync(path.join(queueDir, `batch-${String(Date.now() - 1000).padStart(13, '0')}-000001-${randomUUID()}.jsonl`), `${JSON.stringify(bad)}\n`);

    const client = telemetryClient(licence, storageDir);
    await client.start();
    await client.flush();
    expect(telemetryPosts().map((p) => p.status)).toEqual([400, 202]);
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'session_start', name: 'session' }]);
    expect(fs.readdirSync(queueDir)).toEqual([]);
  });
});
