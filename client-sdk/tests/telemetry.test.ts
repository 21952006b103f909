import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NominaClient, type StartOptions } from '../src/index';
import { generateKey } from '../src/key-format';
import { createFakeServer } from './helpers/fake-server';
import { createSigningKey, type SigningKey } from './helpers/signing';

const identity = { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: ['3C:7C:3F:1A:2B:3C'] };
const key = generateKey('ACME', (n) => new Uint8Array(n).fill(3));
let signingKey: SigningKey;
let storageDir: string;
let clock: Date;

beforeAll(async () => {
  signingKey = await createSigningKey('k1');
});
beforeEach(() => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-telemetry-'));
  clock = new Date('2026-03-01T10:00:00Z');
});
afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

function setup(overrides: Partial<StartOptions> = {}) {
  const server = createFakeServer({ signingKey, now: () => clock });
  const client = new NominaClient({
    serverUrl: 'https://licences.example', key, product: 'ACME', appVersion: '5.2.1', publicKeys: [signingKey.publicJwk], storageDir,
    identity, fetch: server.fetch, now: () => clock, env: {}, policyFile: path.join(storageDir, 'none.json'), hookProcessExit: false, ...overrides,
  });
  const telemetryPosts = () => server.requests.filter((r) => r.path === '/v1/telemetry');
  const sentEvents = () => telemetryPosts().flatMap((r) => r.body.events);
  return { server, client, telemetryPosts, sentEvents };
}

describe('telemetry through the client', () => {
  it('records a session and feature uses, and sends them with the licence token on shutdown', async () => {
    const { client, telemetryPosts, sentEvents } = setup();
    expect(await client.start()).toMatchObject({ telemetry: 'all' });
    client.track('export_pdf', { pages: 3, file: 'C:\\Users\\jdoe\\offer.pdf', nested: { no: 1 } });
    clock = new Date(clock.getTime() + 90_000);
    await client.shutdown();
    const versions = { appVersion: '5.2.1', osVersion: expect.stringMatching(/^\S.{2,63}$/) };
    expect(sentEvents()).toEqual([
      { type: 'session_start', name: 'session', at: '2026-03-01T10:00:00.000Z', props: { offline: false }, ...versions },
      { type: 'feature', name: 'export_pdf', at: '2026-03-01T10:00:00.000Z', props: { pages: 3, file: 'C:\\Users\\<user>\\offer.pdf' }, ...versions },
      { type: 'session_end', name: 'session', at: '2026-03-01T10:01:30.000Z', durationMs: 90_000, ...versions },
    ]);
    expect(telemetryPosts()[0]!.authorization).toMatch(/^Bearer ey/);
    expect(telemetryPosts()[0]!.body.batchId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps events on disk while the server is down and sends them after the next start', async () => {
    const first = setup();
    await first.client.start();
    first.client.track('offline_work');
    first.server.behaviour.mode = 'down';
    await first.client.shutdown(200);

    const second = setup();
    await second.client.start();
    await second.client.shutdown();
    expect(second.sentEvents().map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual([
      'session_start:session', 'feature:offline_work', 'session_end:session', 'session_start:session', 'session_end:session',
    ]);
  });

  it('keeps events within what the server accepts: no null or nested props, no control characters, ≤ 4 kB of props', async () => {
    const { client, sentEvents } = setup();
    await client.start();
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'x'.repeat(300)]));
    client.track('menu\nopen', { empty: null, nested: { a: 1 }, list: [1], nan: Number.NaN, '': 'no key', ok: true, ...many });
    await client.shutdown();
    const feature = sentEvents().find((e: { type: string }) => e.type === 'feature');
    expect(feature.name).toBe('menu open');
    expect(Object.keys(feature.props)).not.toEqual(expect.arrayContaining(['empty', 'nested', 'list', 'nan', '']));
    expect(feature.props.ok).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(feature.props))).toBeLessThanOrEqual(4096);
  });

  it('scrubs errors before they are queued', async () => {
    const { client, sentEvents } = setup();
    await client.start();
    client.trackError(new Error('cannot open /home/jdoe/x for jan@contoso.be on LAPTOP-42'));
    await client.shutdown();
    const error = sentEvents().find((e: { type: string }) => e.type === 'error');
    expect(error.props.message).toBe('cannot open /home/<user>/x for <email> on <host>');
    expect(JSON.stringify(error)).not.toMatch(/jdoe|contoso\.be|LAPTOP-42/i);
  });

  it('obeys the server\'s telemetry "off": nothing recorded, and the queue is deleted', async () => {
    const { client, server, telemetryPosts } = setup();
    server.behaviour.mode = 'down';
    await client.start(); // offline: a session_start is queued
    server.behaviour.mode = 'up';
    server.behaviour.claims = { tel: 'off' };
    expect(await client.start()).toMatchObject({ telemetry: 'off' });
    client.track('ignored');
    client.trackError(new Error('ignored'));
    await client.shutdown();
    expect(telemetryPosts()).toHaveLength(0);
    expect(fs.readdirSync(path.join(storageDir, 'telemetry'))).toEqual([]);
  });

  it('stops at once when a telemetry answer says the holder objected since the token was issued', async () => {
    const { client, server, telemetryPosts } = setup();
    await client.start();
    server.behaviour.telemetryAnswer = { accepted: 0, rejected: 0, duplicate: false, telemetry: 'off' };
    await client.flush();
    expect(telemetryPosts()).toHaveLength(1);
    client.track('ignored');
    await client.shutdown();
    expect(telemetryPosts()).toHaveLength(1);
    expect(fs.readdirSync(path.join(storageDir, 'telemetry'))).toEqual([]);
  });

  it('lets an administrator lock lower the level, and the app cannot raise it', async () => {
    const { client, sentEvents } = setup({ telemetry: 'all', env: { NOMINA_TELEMETRY_LEVEL: 'errors' } });
    expect(await client.start()).toMatchObject({ telemetry: 'errors' });
    client.track('not_sent');
    client.trackError(new TypeError('boom'));
    await client.shutdown();
    expect(sentEvents().map((e: { type: string; name: string }) => `${e.type}:${e.name}`)).toEqual(['error:TypeError']);
  });

  it('honours a machine policy file that turns telemetry off', async () => {
    const policyFile = path.join(storageDir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ telemetryLevel: 'off' }));
    const { client, telemetryPosts } = setup({ telemetry: 'all', policyFile });
    expect(await client.start()).toMatchObject({ telemetry: 'off' });
    client.trackError(new Error('x'));
    await client.shutdown();
    expect(telemetryPosts()).toHaveLength(0);
  });

  it('lets the user turn telemetry down on their own', async () => {
    const { client, telemetryPosts } = setup({ telemetry: 'off' });
    expect(await client.start()).toMatchObject({ telemetry: 'off' });
    client.track('x');
    await client.shutdown();
    expect(telemetryPosts()).toHaveLength(0);
  });
});
