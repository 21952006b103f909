import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidKeyError, NominaClient, type StartOptions } from '../src/index';
import { generateKey } from '../src/key-format';
import { createFakeServer } from './helpers/fake-server';
import { createSigningKey, type SigningKey } from './helpers/signing';

const HOUR = 3600_000;
const identity = { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: ['3C:7C:3F:1A:2B:3C'] };
let pinned: SigningKey;
let rotated: SigningKey;
let stranger: SigningKey;
let storageDir: string;
let clock: Date;
const key = generateKey('ACME', (n) => new Uint8Array(n).fill(7));

beforeAll(async () => {
  [pinned, rotated, stranger] = await Promise.all([createSigningKey('k1'), createSigningKey('k2'), createSigningKey('evil')]);
});
beforeEach(() => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-client-'));
  clock = new Date('2026-03-01T10:00:00Z');
});
afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

function setup(overrides: Partial<StartOptions> = {}, server = createFakeServer({ signingKey: pinned, now: () => clock })) {
  const options: StartOptions = {
    serverUrl: 'https://licences.example', key, product: 'ACME', appVersion: '5.2.1', publicKeys: [pinned.publicJwk], storageDir,
    timeoutMs: 500, identity, fetch: server.fetch, now: () => clock, env: {}, policyFile: path.join(storageDir, 'no-policy.json'),
    hookProcessExit: false, ...overrides,
  };
  const clients: NominaClient[] = [];
  const start = async () => {
    const client = new NominaClient(options);
    clients.push(client);
    return client.start();
  };
  return { server, options, start, clients, client: () => clients.at(-1)! };
}

describe('start(): offline key check', () => {
  it.each([
    [key.replace(/.$/, (c) => (c === '0' ? '1' : '0')), 'BAD_CHECK'],
    ['ACME-123', 'BAD_LENGTH'],
    [generateKey('OTHER', (n) => new Uint8Array(n)), 'WRONG_PRODUCT'],
  ])('rejects %s with InvalidKeyError(%s) before any network call', async (badKey, reason) => {
    const { start, server } = setup({ key: badKey });
    await expect(start()).rejects.toMatchObject({ name: 'InvalidKeyError', reason });
    await expect(start()).rejects.toBeInstanceOf(InvalidKeyError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('start(): online validation', () => {
  it('posts the identity with a fresh nonce and answers from the verified token', async () => {
    const { start, server } = setup({ key: key.toLowerCase().replace(/-/g, '') });
    const verdict = await start();
    expect(verdict).toMatchObject({ valid: true, code: 'VALID', offline: false, entitlements: ['export'], licenceId: 'lic_1', telemetry: 'all' });
    expect(verdict.expiresAt!.getTime()).toBeGreaterThan(clock.getTime());
    const request = server.requests.find((r) => r.path === '/v1/validate')!;
    expect(request.body).toMatchObject({ key, product: 'ACME', device: identity, app: { version: '5.2.1' }, clientTime: clock.toISOString() });
    expect(request.body.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fs.existsSync(path.join(storageDir, 'licence-token.json'))).toBe(true);
  });

  it('sends the product code upper-cased, as the server signs the audience', async () => {
    const { start, server } = setup({ product: 'acme' });
    expect(await start()).toMatchObject({ valid: true });
    expect(server.requests.find((r) => r.path === '/v1/validate')!.body.product).toBe('ACME');
  });

  it('learns a rotated server key from the signed key set', async () => {
    const server = createFakeServer({ signingKey: rotated, now: () => clock, keySet: { signers: [pinned, rotated], keys: [pinned, rotated] } });
    const { start } = setup({}, server);
    expect(await start()).toMatchObject({ valid: true, offline: false });
    const keySetRequest = server.requests.find((r) => r.path === '/.well-known/jwks.signed')!;
    // Never an HTTP cache's copy from before the rotation.
    expect(keySetRequest.headers.get('cache-control')).toBe('no-cache');
  });

  it('refuses a key set signed by an unknown key, so a fake server cannot introduce its own key', async () => {
    const server = createFakeServer({ signingKey: stranger, now: () => clock, keySet: { signers: [stranger], keys: [stranger] } });
    expect(await setup({}, server).start()).toMatchObject({ valid: false, code: 'UNTRUSTED_RESPONSE' });
  });

  it.each([
    // Functions, because the keys exist only once beforeAll has run.
    ['a tampered token', () => ({ tamper: (t: string) => t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA') })],
    ['a token signed by another key', () => ({ signingKey: stranger })],
    ['a token signed by another key under a trusted kid', () => ({ signingKey: { ...stranger, kid: 'k1' } })],
    ['a replayed token (old nonce inside)', () => ({ claims: { nonce: 'an-old-nonce' } })],
    ['a replayed answer (old nonce echoed)', () => ({ echoNonce: () => 'an-old-nonce' })],
  ])('rejects %s', async (_label, behaviour) => {
    const { start, server } = setup();
    Object.assign(server.behaviour, behaviour());
    expect(await start()).toMatchObject({ valid: false, code: 'UNTRUSTED_RESPONSE', entitlements: [] });
  });

  it('falls back to the cached token when the answer is untrustworthy', async () => {
    const { start, server } = setup();
    await start();
    server.behaviour.signingKey = stranger;
    expect(await start()).toMatchObject({ valid: true, offline: true, warnings: ['UNTRUSTED_RESPONSE'] });
  });
});

describe('start(): offline', () => {
  it('answers from the cached token while the server is down, then refuses once the grace has passed', async () => {
    const { start, server } = setup();
    server.behaviour.claims = { exp: new Date(clock.getTime() + 72 * HOUR) };
    await start();
    server.behaviour.mode = 'down';
    clock = new Date(clock.getTime() + 48 * HOUR);
    expect(await start()).toMatchObject({ valid: true, code: 'VALID', offline: true, entitlements: ['export'] });
    clock = new Date(clock.getTime() + 25 * HOUR);
    expect(await start()).toMatchObject({ valid: false, code: 'OFFLINE_GRACE_EXPIRED', offline: true });
  });

  it.each(['status 503', 'status 429'])('treats %s like an unreachable server', async (label) => {
    const { start, server } = setup();
    await start();
    Object.assign(server.behaviour, { mode: 'status', status: Number(label.split(' ')[1]) });
    expect(await start()).toMatchObject({ valid: true, offline: true });
  });

  it('never waits longer than timeoutMs for a server that hangs', async () => {
    const { start, server } = setup({ timeoutMs: 200 });
    server.behaviour.mode = 'hang';
    const began = Date.now();
    expect(await start()).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN', offline: true });
    expect(Date.now() - began).toBeLessThan(600);
  });

  it('detects a clock set back more than an hour before the last server time', async () => {
    const { start, server } = setup();
    await start();
    server.behaviour.mode = 'down';
    clock = new Date(clock.getTime() - 30 * 60_000);
    expect(await start()).toMatchObject({ valid: true, offline: true });
    clock = new Date(clock.getTime() - 2 * HOUR);
    expect(await start()).toMatchObject({ valid: false, code: 'CLOCK_ROLLBACK' });
    fs.rmSync(path.join(storageDir, 'clock.json')); // the signed iat of the cached token still remembers
    expect(await start()).toMatchObject({ valid: false, code: 'CLOCK_ROLLBACK' });
  });

  it('trusts a fresh online answer despite a rolled-back clock, but says so', async () => {
    const { start } = setup();
    await start();
    clock = new Date(clock.getTime() - 3 * HOUR);
    expect(await start()).toMatchObject({ valid: true, offline: false, warnings: ['CLOCK_ROLLBACK'] });
  });

  it('warns of a clock behind the signing time of a fresh answer, even on a first start', async () => {
    const server = createFakeServer({ signingKey: pinned, now: () => new Date(clock.getTime() + 3 * HOUR) });
    expect(await setup({}, server).start()).toMatchObject({ valid: true, offline: false, warnings: ['CLOCK_ROLLBACK'] });
  });

  it('keeps a cached refusal: a revoked licence stays revoked offline', async () => {
    const { start, server } = setup();
    await start();
    server.behaviour.claims = { valid: false, code: 'REVOKED', ent: [] };
    expect(await start()).toMatchObject({ valid: false, code: 'REVOKED' });
    server.behaviour.mode = 'down';
    expect(await start()).toMatchObject({ valid: false, code: 'REVOKED', offline: true });
  });

  it('keeps the reason of a cached refusal in detail, for the dialog the app shows offline', async () => {
    const { start, server } = setup();
    server.behaviour.claims = { valid: false, code: 'REVOKED', ent: [] };
    server.behaviour.detail = 'The licence was revoked by the vendor.';
    expect(await start()).toMatchObject({ valid: false, code: 'REVOKED', offline: false, detail: 'The licence was revoked by the vendor.' });
    server.behaviour.mode = 'down';
    const offline = await start();
    expect(offline).toMatchObject({ valid: false, code: 'REVOKED', offline: true });
    expect(offline.detail).toContain('The licence was revoked by the vendor.');
    expect(offline.detail).toContain('server is unreachable');
  });

  it('answers EXPIRED offline once the signed validUntil has passed, even within the grace', async () => {
    const { start, server } = setup();
    server.behaviour.claims = { vu: new Date(clock.getTime() + HOUR).toISOString() };
    await start();
    server.behaviour.mode = 'down';
    clock = new Date(clock.getTime() + 2 * HOUR);
    expect(await start()).toMatchObject({ valid: false, code: 'EXPIRED', offline: true, entitlements: [] });
  });

  it('does not answer for another key with the cached token', async () => {
    const { start, server } = setup();
    await start();
    server.behaviour.mode = 'down';
    const other = setup({ key: generateKey('ACME', (n) => new Uint8Array(n).fill(9)) }, server);
    expect(await other.start()).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN' });
  });
});

describe('release()', () => {
  it('releases the device with the licence token and forgets the cached token', async () => {
    const { start, server, client } = setup();
    await start();
    expect(await client().release()).toEqual({ released: true });
    const request = server.requests.find((r) => r.path === '/v1/devices/release')!;
    expect(request.authorization).toMatch(/^Bearer ey/);
    server.behaviour.mode = 'down';
    expect(await start()).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN' });
  });

  it('asks the server to re-activate a released PC only when the app says so', async () => {
    const { start, server } = setup();
    await start();
    expect(server.requests.at(-1)!.body).not.toHaveProperty('activate');
    await setup({ activate: true }, server).start();
    expect(server.requests.at(-1)!.body.activate).toBe(true);
  });

  it('keeps the cached token when the release did not reach the server', async () => {
    const { start, server, client } = setup();
    await start();
    server.behaviour.mode = 'down';
    expect(await client().release()).toEqual({ released: false, reason: 'NETWORK' });
    expect(await start()).toMatchObject({ valid: true, offline: true });
  });
});
