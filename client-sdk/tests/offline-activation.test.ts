import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey, verify } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import {
  createActivationRequest, createReleaseFile, importLicenceFile, LicenceFileError, NominaClient, type OfflineOptions, type StartOptions,
} from '../src/index';
import { generateKey, normaliseKey } from '../src/key-format';
import { keyDigestOf } from '../src/licence-key';
import { decodeActivationRequestText, encodeActivationRequest, hashIdentity, MAX_PENDING_REQUESTS_FOR_TESTS } from './helpers/offline-internals';
import { createFakeServer } from './helpers/fake-server';
import { contractHash, signLicenceFile } from './helpers/licence-files';
import { createSigningKey, signKeySetLines, signLicenceToken, type SigningKey } from './helpers/signing';

const DAY = 86_400_000;
const identity = { ntUsername: 'JDoe', ntDomain: 'Contoso', pcName: 'laptop-42', macAddresses: ['3C:7C:3F:1A:2B:3C', '3C:7C:3F:1A:2B:3D'] };
const key = generateKey('ACME', (n) => new Uint8Array(n).fill(7));
let service: SigningKey;
let stranger: SigningKey;
let storageDir: string;
let clock: Date;

beforeAll(async () => {
  [service, stranger] = await Promise.all([createSigningKey('k1'), createSigningKey('evil')]);
});
beforeEach(() => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-offline-'));
  clock = new Date('2026-12-01T09:00:00Z');
});
afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

const options = (overrides: Partial<OfflineOptions> = {}): OfflineOptions => ({
  key, product: 'ACME', appVersion: '5.2.1', publicKeys: [service.publicJwk], storageDir, identity, now: () => clock, ...overrides,
});

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(LicenceFileError);
  return (error as LicenceFileError).code;
}

/** An app starting with the service as `server` answers (fake, in-process). */
function startOptions(server: ReturnType<typeof createFakeServer>, overrides: Partial<StartOptions> = {}): StartOptions {
  return {
    ...options(), serverUrl: 'https://licences.example', timeoutMs: 300, fetch: server.fetch, env: {}, hookProcessExit: false,
    policyFile: path.join(storageDir, 'no-policy.json'), flushIntervalMs: 60_000, ...overrides,
  } as StartOptions;
}
const start = async (server: ReturnType<typeof createFakeServer>, overrides: Partial<StartOptions> = {}) => {
  const client = new NominaClient(startOptions(server, overrides));
  try {
    return { verdict: await client.start(), client };
  } finally {
    await client.shutdown(0);
  }
};
const down = () => createFakeServer({ signingKey: service, mode: 'down', now: () => clock });

describe('createActivationRequest()', () => {
  it('writes a request with the identity start() sends, a fresh nonce and the device public key', () => {
    const { json, text, fileName, request } = createActivationRequest(options());
    expect(fileName).toBe('nomina-activation-request.json');
    expect(JSON.parse(json)).toEqual(request);
    expect(request).toMatchObject({
      format: 'nomina-activation-request', version: 1, product: 'ACME', key, device: identity, app: { version: '5.2.1' },
      createdAt: clock.toISOString(), devicePublicKey: { kty: 'OKP', crv: 'Ed25519' },
    });
    expect(request.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(request.devicePublicKey.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(request.devicePublicKey).sort()).toEqual(['crv', 'kty', 'x']); // never the private half
    expect(json).not.toContain('"d"');

    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN NOMINA ACTIVATION REQUEST-----');
    expect(lines.at(-1)).toBe('-----END NOMINA ACTIVATION REQUEST-----');
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
    expect(decodeActivationRequestText(text)).toEqual(request);
    // Short enough to type: well under the JSON's size.
    expect(text.length).toBeLessThan(json.length);
  });

  it('keeps one device key per storage directory (0600), reused by renewals', () => {
    const first = createActivationRequest(options()).request;
    const second = createActivationRequest(options()).request;
    expect(second.devicePublicKey).toEqual(first.devicePublicKey);
    expect(second.nonce).not.toBe(first.nonce);
    const keyFile = path.join(storageDir, 'device-key.json');
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(keyFile, 'utf8'))).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: first.devicePublicKey.x, d: expect.any(String) });
    expect(fs.readdirSync(storageDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('remembers a bounded number of pending requests, oldest dropped first', async () => {
    const requests = Array.from({ length: MAX_PENDING_REQUESTS_FOR_TESTS + 2 }, () => createActivationRequest(options()).request);
    const [oldest, newest] = [requests[0]!, requests.at(-1)!];
    expect(await refusalOf(importLicenceFile(options(), await signLicenceFile(service, oldest)))).toBe('LICENCE_FILE_UNKNOWN_REQUEST');
    await expect(importLicenceFile(options(), await signLicenceFile(service, newest))).resolves.toMatchObject({ valid: true });
  });

  it('checks the key and product as start() does, before writing anything', () => {
    expect(() => createActivationRequest(options({ key: 'ACME-123' }))).toThrow(expect.objectContaining({ name: 'InvalidKeyError', reason: 'BAD_LENGTH' }));
    expect(() => createActivationRequest(options({ product: 'OTHER' }))).toThrow(expect.objectContaining({ reason: 'WRONG_PRODUCT' }));
    expect(fs.readdirSync(storageDir)).toEqual([]);
  });
});

describe('importLicenceFile()', () => {
  it('accepts the answer to its request, stores it and consumes the nonce', async () => {
    const { request } = createActivationRequest(options());
    const file = await signLicenceFile(service, request, { claims: { ent: ['export', 'pdf'], vu: '2027-12-01T00:00:00.000Z' } });
    // As carried: wrapped into lines by a mail program, as bytes from a USB stick.
    const wrapped = Buffer.from(file.match(/.{1,76}/g)!.join('\r\n') + '\n');
    const verdict = await importLicenceFile(options(), wrapped);
    expect(verdict).toMatchObject({
      valid: true, code: 'VALID', offline: true, source: 'licence-file', entitlements: ['export', 'pdf'], licenceId: 'lic_1', deviceId: 'dev_off',
      expiresAt: new Date(clock.getTime() + 30 * DAY), validUntil: new Date('2027-12-01T00:00:00.000Z'),
    });
    expect(JSON.parse(fs.readFileSync(path.join(storageDir, 'licence-file.json'), 'utf8')).licenceFile).toBe(file);
    // The same file again: its request is used up.
    expect(await refusalOf(importLicenceFile(options(), file))).toBe('LICENCE_FILE_UNKNOWN_REQUEST');
  });

  it('accepts a PC without physical adapters when the file names none either', async () => {
    const bare = { ...identity, macAddresses: [] };
    const { request } = createActivationRequest(options({ identity: bare }));
    await expect(importLicenceFile(options({ identity: bare }), await signLicenceFile(service, request))).resolves.toMatchObject({ valid: true });
  });

  it('accepts a PC that kept at least one of its network adapters', async () => {
    const { request } = createActivationRequest(options());
    const file = await signLicenceFile(service, request);
    const oneNewAdapter = { ...identity, macAddresses: ['3C:7C:3F:1A:2B:3C', '3C:7C:3F:99:99:99'] };
    await expect(importLicenceFile(options({ identity: oneNewAdapter }), file)).resolves.toMatchObject({ valid: true });
  });

  const forgeries: Array<[string, string, () => Promise<string>]> = [
    ['a byte changed in the claims', 'LICENCE_FILE_UNTRUSTED', async () => {
      const [h, p, s] = (await genuine()).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      return [h, Buffer.from(JSON.stringify({ ...claims, ent: ['export', 'everything'] })).toString('base64url'), s].join('.');
    }],
    ['a byte changed in the signature', 'LICENCE_FILE_UNTRUSTED', async () => {
      const file = await genuine();
      const i = file.length - 10;
      return file.slice(0, i) + (file[i] === 'A' ? 'B' : 'A') + file.slice(i + 1);
    }],
    ['a file signed by a key the app does not trust', 'LICENCE_FILE_UNTRUSTED', async () => signLicenceFile(stranger, pending())],
    ['a stranger signing with the service key id', 'LICENCE_FILE_UNTRUSTED', async () => signLicenceFile({ ...stranger, kid: service.kid }, pending())],
    ['a licence token passed as a licence file', 'LICENCE_FILE_UNTRUSTED', async () => signLicenceToken(service, { nonce: pending().nonce, iat: clock })],
    ['a licence-file type on a token without the offline mode', 'LICENCE_FILE_UNTRUSTED', async () => signLicenceFile(service, pending(), { claims: { mode: 'online' } })],
    ['another issuer', 'LICENCE_FILE_UNTRUSTED', async () => signLicenceFile(service, pending(), { claims: { iss: 'someone' } })],
    ['a file for another product', 'LICENCE_FILE_WRONG_PRODUCT', async () => signLicenceFile(service, { ...pending(), product: 'OTHER' })],
    ['a file for another PC identity', 'LICENCE_FILE_OTHER_DEVICE', async () => signLicenceFile(service, { ...pending(), device: { ...identity, pcName: 'LAPTOP-43' } })],
    ['a file for another NT account', 'LICENCE_FILE_OTHER_DEVICE', async () => signLicenceFile(service, { ...pending(), device: { ...identity, ntUsername: 'mallory' } })],
    ['a file for a PC with other network adapters', 'LICENCE_FILE_OTHER_DEVICE', async () => signLicenceFile(service, { ...pending(), device: { ...identity, macAddresses: ['3C:7C:3F:00:00:01'] } })],
    ['a file bound to another device key', 'LICENCE_FILE_OTHER_DEVICE', async () => {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'nomina-offline-other-'));
      try {
        const otherKey = createActivationRequest(options({ storageDir: elsewhere })).request.devicePublicKey;
        return signLicenceFile(service, { ...pending(), devicePublicKey: otherKey });
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    }],
    ['an expired file', 'LICENCE_FILE_EXPIRED', async () => signLicenceFile(service, pending(), { iat: new Date(clock.getTime() - 31 * DAY), exp: new Date(clock.getTime() - DAY) })],
    ['a file answering a request this PC never made', 'LICENCE_FILE_UNKNOWN_REQUEST', async () => signLicenceFile(service, { ...pending(), nonce: 'q3v9XlZ2bq1c8Qe7Xn2kPw' })],
    ['a file without its binding', 'LICENCE_FILE_MALFORMED', async () => signLicenceFile(service, pending(), { claims: { idh: undefined } })],
    ['text that is no JWS', 'LICENCE_FILE_MALFORMED', async () => 'hello, this is my licence'],
    ['a JWS with a header that is no JSON', 'LICENCE_FILE_MALFORMED', async () => 'bm90IGpzb24.e30.c2ln'],
  ];
  let request: ReturnType<typeof createActivationRequest>['request'] | undefined;
  const pending = () => request ?? (request = createActivationRequest(options()).request);
  const genuine = () => signLicenceFile(service, pending());
  beforeEach(() => { request = undefined; });

  it.each(forgeries)('refuses %s (%s), stores nothing and keeps the request pending', async (_name, code, forge) => {
    const forged = await forge();
    expect(await refusalOf(importLicenceFile(options(), forged))).toBe(code);
    expect(fs.existsSync(path.join(storageDir, 'licence-file.json'))).toBe(false);
    // The genuine answer still goes through afterwards.
    await expect(importLicenceFile(options(), await genuine())).resolves.toMatchObject({ valid: true });
  });

  it('refuses a file for a request made with another licence key', async () => {
    const otherKey = generateKey('ACME', (n) => new Uint8Array(n).fill(9));
    const { request: other } = createActivationRequest(options({ key: otherKey }));
    expect(await refusalOf(importLicenceFile(options(), await signLicenceFile(service, other)))).toBe('LICENCE_FILE_UNKNOWN_REQUEST');
  });
});

describe('importLicenceFile() after the service rotated its signing key', () => {
  // The app pins only `service` (the key of its build); the service now signs with `rotated`.
  let rotated: SigningKey;
  beforeAll(async () => { rotated = await createSigningKey('k2'); });
  const bothKeys = () => [rotated.publicJwk, service.publicJwk];
  const trustedKeysFile = () => path.join(storageDir, 'trusted-keys.json');
  /** A licence file as the service writes it: the licence line, then one key-set line per published key (newest first). */
  async function fileWithKeySet(keySetLines: string[], signer = rotated) {
    const licence = await signLicenceFile(signer, createActivationRequest(options()).request);
    return { licence, file: [licence, ...keySetLines].join('\n') };
  }

  it('learns the new key from the key set the file carries, signed by the pinned key, and start() answers from it offline', async () => {
    const { licence, file } = await fileWithKeySet(await signKeySetLines([rotated, service], bothKeys(), clock));
    expect(await refusalOf(importLicenceFile(options(), licence))).toBe('LICENCE_FILE_UNTRUSTED'); // the licence line alone
    expect(await importLicenceFile(options(), file)).toMatchObject({ valid: true, source: 'licence-file' });
    expect(JSON.parse(fs.readFileSync(path.join(storageDir, 'licence-file.json'), 'utf8')).licenceFile).toBe(licence);
    // Kept as a key set learnt online is: a new process re-verifies it from the pinned key.
    expect(fs.existsSync(trustedKeysFile())).toBe(true);
    expect((await start(down())).verdict).toMatchObject({ valid: true, offline: true, source: 'licence-file' });
  });

  it('reads the key set of a file re-wrapped by a mail program', async () => {
    const { file } = await fileWithKeySet(await signKeySetLines([rotated, service], bothKeys(), clock));
    const wrapped = file.split('\n').flatMap((line) => line.match(/.{1,76}/g)!).join('\r\n') + '\r\n';
    await expect(importLicenceFile(options(), Buffer.from(wrapped))).resolves.toMatchObject({ valid: true });
  });

  it('does not learn from a key set signed only by a key the app does not trust', async () => {
    const { file } = await fileWithKeySet(await signKeySetLines([stranger], [stranger.publicJwk, ...bothKeys()], clock), stranger);
    expect(await refusalOf(importLicenceFile(options(), file))).toBe('LICENCE_FILE_UNTRUSTED');
    expect(fs.existsSync(trustedKeysFile())).toBe(false);
  });

  it('does not learn from an edited key-set line: keys swapped in the signed payload, or a byte of its signature changed', async () => {
    const [line] = await signKeySetLines([service], bothKeys(), clock);
    const [header, payload, signature] = line!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const swapped = [header, Buffer.from(JSON.stringify({ ...claims, keys: [stranger.publicJwk] })).toString('base64url'), signature].join('.');
    expect(await refusalOf(importLicenceFile(options(), (await fileWithKeySet([swapped], stranger)).file))).toBe('LICENCE_FILE_UNTRUSTED');
    const i = line!.length - 10;
    const flipped = line!.slice(0, i) + (line![i] === 'A' ? 'B' : 'A') + line!.slice(i + 1);
    expect(await refusalOf(importLicenceFile(options(), (await fileWithKeySet([flipped])).file))).toBe('LICENCE_FILE_UNTRUSTED');
    expect(fs.existsSync(trustedKeysFile())).toBe(false);
  });

  it('does not let an older key set replace a newer one: a retired key stays retired', async () => {
    await importLicenceFile(options(), (await fileWithKeySet(await signKeySetLines([rotated, service], bothKeys(), clock))).file);
    // A set from before, signed by the pinned key, that listed a key since dropped (here: the stranger's).
    const older = await signKeySetLines([service], [service.publicJwk, stranger.publicJwk], new Date(clock.getTime() - DAY));
    expect(await refusalOf(importLicenceFile(options(), (await fileWithKeySet(older, stranger)).file))).toBe('LICENCE_FILE_UNTRUSTED');
    await expect(importLicenceFile(options(), (await fileWithKeySet([])).file)).resolves.toMatchObject({ valid: true });
  });
});

describe('start() with an imported licence file', () => {
  async function imported(overrides: Parameters<typeof signLicenceFile>[2] = {}) {
    const { request } = createActivationRequest(options());
    const file = await signLicenceFile(service, request, overrides);
    await importLicenceFile(options(), file);
    return file;
  }

  it('answers VALID offline from the file until it expires, then LICENCE_FILE_EXPIRED', async () => {
    await imported({ claims: { ent: ['export'] } });
    clock = new Date(clock.getTime() + 29 * DAY);
    expect((await start(down())).verdict).toMatchObject({
      valid: true, code: 'VALID', offline: true, source: 'licence-file', entitlements: ['export'], warnings: ['SERVER_UNREACHABLE'], deviceId: 'dev_off',
    });
    clock = new Date(clock.getTime() + 2 * DAY);
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'LICENCE_FILE_EXPIRED', offline: true, source: 'licence-file', entitlements: [] });
  });

  it('re-checks the identity at every start: the storage copied to another PC is refused', async () => {
    await imported();
    expect((await start(down(), { identity: { ...identity, pcName: 'LAPTOP-99' } })).verdict).toMatchObject({ valid: false, code: 'LICENCE_FILE_OTHER_DEVICE', offline: true });
    expect((await start(down(), { identity: { ...identity, ntUsername: 'someone' } })).verdict).toMatchObject({ valid: false, code: 'LICENCE_FILE_OTHER_DEVICE' });
  });

  it('refuses a stored file edited on disk, or a device key replaced', async () => {
    await imported();
    const stored = path.join(storageDir, 'licence-file.json');
    const saved = JSON.parse(fs.readFileSync(stored, 'utf8'));
    const [h, p, s] = saved.licenceFile.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    fs.writeFileSync(stored, JSON.stringify({ ...saved, licenceFile: [h, Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86400 })).toString('base64url'), s].join('.') }));
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'LICENCE_FILE_UNTRUSTED' });
    fs.writeFileSync(stored, JSON.stringify(saved));
    expect((await start(down())).verdict).toMatchObject({ valid: true });
    fs.rmSync(path.join(storageDir, 'device-key.json'));
    createActivationRequest(options()); // a new key pair
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'LICENCE_FILE_OTHER_DEVICE' });
  });

  it('refuses a clock set back before the file was issued', async () => {
    await imported();
    clock = new Date(clock.getTime() - 2 * DAY);
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'CLOCK_ROLLBACK', offline: true });
  });

  it('validates online as always when the server answers, and then sends the telemetry queued offline', async () => {
    await imported();
    const offline = new NominaClient(startOptions(down()));
    expect(await offline.start()).toMatchObject({ valid: true, source: 'licence-file', telemetry: 'all' });
    offline.track('export_pdf');
    await offline.shutdown(100);
    expect(fs.readdirSync(path.join(storageDir, 'telemetry')).length).toBeGreaterThan(0);

    const up = createFakeServer({ signingKey: service, now: () => clock });
    const online = new NominaClient(startOptions(up));
    expect(await online.start()).toMatchObject({ valid: true, offline: false, source: 'online' });
    await online.flush();
    await online.shutdown(100);
    const sent = up.requests.filter((r) => r.path === '/v1/telemetry').flatMap((r) => r.body.events.map((e: { type: string; name: string }) => `${e.type}:${e.name}`));
    expect(sent).toEqual(expect.arrayContaining(['session_start:session', 'feature:export_pdf']));
  });

  it('obeys the file\'s telemetry setting: off means nothing is queued', async () => {
    await imported({ claims: { tel: 'off' } });
    const client = new NominaClient(startOptions(down()));
    expect(await client.start()).toMatchObject({ valid: true, telemetry: 'off' });
    client.track('export_pdf');
    await client.shutdown(0);
    expect(fs.readdirSync(path.join(storageDir, 'telemetry'))).toEqual([]);
  });

  it('prefers whichever signed answer is newer: a later REVOKED token beats the file, an expired token gives way to it', async () => {
    await imported();
    clock = new Date(clock.getTime() + DAY);
    const revoked = createFakeServer({ signingKey: service, now: () => clock, claims: { valid: false, code: 'REVOKED', ent: [], exp: new Date(clock.getTime() + 5 * 60_000) } });
    expect((await start(revoked)).verdict).toMatchObject({ valid: false, code: 'REVOKED', source: 'online' });
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'REVOKED', offline: true, source: 'cache' });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await start(down())).verdict).toMatchObject({ valid: true, source: 'licence-file' });
  });

  it('does not let a licence file pass for a cached token', async () => {
    const file = await imported();
    fs.rmSync(path.join(storageDir, 'licence-file.json'));
    const digest = JSON.parse(fs.readFileSync(path.join(storageDir, 'offline-requests.json'), 'utf8'));
    expect(digest.requests).toEqual([]);
    const canonical = (normaliseKey(key) as { canonical: string }).canonical;
    fs.writeFileSync(path.join(storageDir, 'licence-token.json'), JSON.stringify({ token: file, keyDigest: keyDigestOf(canonical), savedAt: clock.toISOString() }));
    expect((await start(down())).verdict).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN' });
  });
});

describe('createReleaseFile()', () => {
  it('signs the release with the device key, names the activation, and removes the licence file and token', async () => {
    const { request } = createActivationRequest(options());
    const file = await signLicenceFile(service, request, { claims: { jti: '6f1c1d5e-0d55-4d7e-9b7f-2f1f4a1b9c3e' } });
    await importLicenceFile(options(), file);
    fs.writeFileSync(path.join(storageDir, 'licence-token.json'), '{}');
    clock = new Date(clock.getTime() + DAY);
    const release = createReleaseFile(options());
    expect(release.fileName).toBe('nomina-release.jws');
    expect(decodeProtectedHeader(release.text)).toEqual({ alg: 'EdDSA', typ: 'nomina-release+jwt' });
    const [h, p, s] = release.text.split('.');
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({
      lic: 'lic_1', dev: 'dev_off', act: '6f1c1d5e-0d55-4d7e-9b7f-2f1f4a1b9c3e', product: 'ACME', iat: Math.floor(clock.getTime() / 1000),
    });
    const devicePublicKey = createPublicKey({ key: { ...request.devicePublicKey }, format: 'jwk' });
    expect(verify(null, Buffer.from(`${h}.${p}`), devicePublicKey, Buffer.from(s!, 'base64url'))).toBe(true);
    expect(fs.existsSync(path.join(storageDir, 'licence-file.json'))).toBe(false);
    expect(fs.existsSync(path.join(storageDir, 'licence-token.json'))).toBe(false);
    expect(() => createReleaseFile(options())).toThrow(expect.objectContaining({ code: 'LICENCE_FILE_MISSING' }));
  });
});

describe('the contract (docs/offline-activation.md)', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/offline-activation.md'), 'utf8');
  const exampleJson = JSON.parse(/```json\n(\{[\s\S]*?\})\n```/.exec(doc)![1]!);
  const exampleText = /```\n(-----BEGIN NOMINA ACTIVATION REQUEST-----[\s\S]*?-----END NOMINA ACTIVATION REQUEST-----)\n```/.exec(doc)![1]!;

  it("writes the example request's text form byte for byte, and reads it back", () => {
    expect(encodeActivationRequest(exampleJson).text.trimEnd()).toBe(exampleText);
    expect(decodeActivationRequestText(exampleText)).toEqual(exampleJson);
  });

  it('hashes the identity as the service does: NFC, trimmed, case-folded, the bare user without a domain, canonical MACs', () => {
    const nonce = 'n0nce-123';
    expect(hashIdentity(nonce, { ntUsername: ' JDoe ', ntDomain: 'Contoso', pcName: ' laptop-42', macAddresses: ['00-1a-2b-3c-4d-5e'] })).toEqual({
      user: contractHash(nonce, 'contoso\\jdoe'), pc: contractHash(nonce, 'LAPTOP-42'), macs: [contractHash(nonce, '00:1A:2B:3C:4D:5E')],
    });
    expect(hashIdentity(nonce, { ntUsername: 'jdoe', ntDomain: '', pcName: 'PC', macAddresses: [] }).user).toBe(contractHash(nonce, 'jdoe'));
    // "é" typed as e + combining accent is the same account as the precomposed "é".
    expect(hashIdentity(nonce, { ntUsername: 'rene\u0301', ntDomain: 'X', pcName: 'PC', macAddresses: [] }).user).toBe(contractHash(nonce, 'x\\ren\u00e9'));
  });
});
