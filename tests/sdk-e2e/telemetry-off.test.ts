/**
 * Telemetry `off` (issue 7, docs/architecture.md §6): from the server, when the licence holder objected
 * (set through the privacy officer's real API), and from a machine administrator's lock
 * (environment variable or policy file). Nothing may reach the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSdkWorld, storedEvents, type IssuedLicence, type SdkWorld } from './support/sdk-world';

const HOUR = 3600_000;
let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => world.proxy.reset());

const telemetryPosts = () => world.proxy.requestsTo('/v1/telemetry');
const queuedFiles = (storageDir: string) => fs.readdirSync(path.join(storageDir, 'telemetry'));

async function objectToTelemetry(licence: IssuedLicence, objects: boolean): Promise<void> {
  const dpo = await world.h.login('privacy_officer');
  await world.h.api.patch(`/v1/privacy/subjects/${licence.holderId}/processing`).set(world.h.auth(dpo))
    .send({ objections: { telemetry: objects } }).expect(200);
}

function appUse(client: { track(name: string): void; trackError(error: unknown): void }): void {
  client.track('export_pdf');
  client.trackError(new TypeError('cannot read C:\\Users\\jdoe\\report.pdf'));
}

describe("the server's telemetry: off", () => {
  it('after the holder objects: the next start turns telemetry off, deletes the queue and sends nothing', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    // Used before the objection, with the events still queued (the server was briefly unreachable).
    const before = world.client(licence, { storageDir, serverUrl: world.proxy.url, flushIntervalMs: HOUR });
    expect(await before.start()).toMatchObject({ valid: true, telemetry: 'all' });
    appUse(before);
    world.proxy.before = (request) => (request.path === '/v1/telemetry' ? { status: 503, headers: {}, body: '' } : undefined);
    await before.shutdown(5000);
    expect(queuedFiles(storageDir)).toHaveLength(1);
    world.proxy.reset();

    await objectToTelemetry(licence, true);
    const after = world.client(licence, { storageDir, serverUrl: world.proxy.url, flushIntervalMs: HOUR });
    expect(await after.start()).toMatchObject({ valid: true, telemetry: 'off' });
    expect(queuedFiles(storageDir)).toEqual([]);
    appUse(after);
    await after.flush();
    await after.shutdown(5000);
    expect(queuedFiles(storageDir)).toEqual([]);
    expect(telemetryPosts()).toEqual([]);
    expect(await storedEvents(world, licence.productId)).toEqual([]);
  });

  it('a running app stops as soon as the server answers that the holder objected', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    const client = world.client(licence, { storageDir, serverUrl: world.proxy.url, flushIntervalMs: HOUR });
    await client.start();
    await client.flush();
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'session_start', name: 'session' }]);

    await objectToTelemetry(licence, true);
    client.track('after_objection'); // the app does not know yet
    await client.flush();
    expect(JSON.parse(telemetryPosts().at(-1)!.serverBody!)).toMatchObject({ accepted: 0, telemetry: 'off' });
    const posts = telemetryPosts().length;
    appUse(client);
    await client.shutdown(5000);
    expect(telemetryPosts()).toHaveLength(posts);
    expect(queuedFiles(storageDir)).toEqual([]);
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'session_start', name: 'session' }]);
  });
});

describe("an administrator's lock", () => {
  it.each([
    ['NOMINA_TELEMETRY_LEVEL=off', { env: { NOMINA_TELEMETRY_LEVEL: 'off' } }, null],
    ['a policy file with an invalid level (fails closed)', {}, '{ "telemetryLevel": "some" }'],
  ])('%s: nothing is queued and nothing reaches the server', async (_label, overrides, policy) => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    const policyFile = path.join(storageDir, 'policy.json');
    if (policy) fs.writeFileSync(policyFile, policy);
    const client = world.client(licence, { storageDir, serverUrl: world.proxy.url, telemetry: 'all', policyFile, ...overrides });
    expect(await client.start()).toMatchObject({ valid: true, telemetry: 'off' });
    appUse(client);
    await client.shutdown(5000);
    expect(telemetryPosts()).toEqual([]);
    expect(await storedEvents(world, licence.productId)).toEqual([]);
  });

  it('a policy file at "errors" beats the user setting "all": only the error reaches the server, scrubbed', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    const policyFile = path.join(storageDir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ telemetryLevel: 'errors' }));
    const client = world.client(licence, { storageDir, serverUrl: world.proxy.url, telemetry: 'all', policyFile });
    expect(await client.start()).toMatchObject({ valid: true, telemetry: 'errors' });
    appUse(client);
    await client.shutdown(5000);
    expect(await storedEvents(world, licence.productId)).toEqual([{ type: 'error', name: 'TypeError' }]);
    const stored = await world.h.services.prisma.telemetryEvent.findFirstOrThrow({ where: { productId: licence.productId } });
    expect((stored.props as { message: string }).message).toBe('cannot read C:\\Users\\<user>\\report.pdf');
  });
});
