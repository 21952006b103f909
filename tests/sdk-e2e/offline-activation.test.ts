/**
 * Air-gapped activation end to end (issue 17, docs/offline-activation.md): the SDK on a PC that
 * never reaches the service writes a request; the holder, support or the vendor's portal (API key)
 * turns it into a licence file on the real server; the SDK imports it and start() answers from it
 * offline. The same on PostgreSQL and on the embedded database.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import {
  createActivationRequest, createReleaseFile, importLicenceFile, LicenceFileError, type LicenceVerdict, type StartOptions,
} from '../../client-sdk/src/index';
import type { DeviceIdentity } from '../../client-sdk/src/identity';
import type { ApiScope } from '../../src/api-keys/api-key-scopes';
import { createApiKey } from '../../src/api-keys/create-api-key';
import { aPhysicalIdentity, openSdkWorld, storedEvents, type IssuedLicence, type SdkWorld } from './support/sdk-world';

jest.setTimeout(60_000);

const DAY = 86_400_000;
/** Nothing listens on port 9 here: the air-gapped PC's connection is refused at once. */
const NO_NETWORK = 'http://127.0.0.1:9';
const REASON = 'Air-gapped PC in the council chamber, ticket 4711';
const DATABASES = [['PostgreSQL', 'postgres'], ['the embedded database', 'embedded']] as const;
type Road = 'holder' | 'support' | 'api-key';
const ROADS: Road[] = ['holder', 'support', 'api-key'];

describe.each(DATABASES)('air-gapped activation on %s', (_label, database) => {
  let world: SdkWorld;
  let portalKey: string;
  beforeAll(async () => {
    world = await openSdkWorld({ database });
    const admin = await world.h.staffUser('admin');
    const scopes: ApiScope[] = ['offline:activate'];
    portalKey = (await createApiKey(world.h.services, { name: 'vendor portal', scopes, rateLimitPerMinute: 10_000 }, admin.id, { type: 'system' }, 'e2e')).key;
  }, 120_000);
  afterAll(() => world.close(), 60_000);
  afterEach(() => { world.proxy.reset(); world.clock.offsetMs = 0; });

  /** One PC: its storage directory and identity, and the options its app passes to the SDK. */
  function aPc(licence: IssuedLicence, identity: DeviceIdentity = aPhysicalIdentity(), storageDir = world.storageDir()) {
    const options: StartOptions = {
      serverUrl: NO_NETWORK, key: licence.key, product: licence.productCode, appVersion: '5.2.1', publicKeys: world.pinnedKeys,
      storageDir, identity, now: () => new Date(Date.now() + world.clock.offsetMs),
    };
    return {
      options, identity, storageDir,
      /** The app starting with no network (or, given the server's URL, with one). */
      start: (serverUrl = NO_NETWORK): Promise<LicenceVerdict> => world.client(licence, { storageDir, identity, serverUrl, timeoutMs: 2000 }).start(),
    };
  }
  type Pc = ReturnType<typeof aPc>;

  async function upload(road: Road, licence: IssuedLicence, kind: 'offline-activations' | 'offline-releases', body: Record<string, unknown>) {
    const { h } = world;
    if (road === 'holder') {
      const session = (await h.services.sessions.issueSubject(licence.holderId, 900)).token;
      return h.api.post(`/v1/privacy/me/${kind}`).set(h.auth(session)).send(body);
    }
    if (road === 'support') return h.api.post(`/v1/${kind}`).set(h.auth(await h.login('support'))).send({ ...body, reason: REASON });
    return h.api.post(`/v1/${kind}`).set(h.auth(portalKey)).send(body);
  }

  /** request → upload → licence file, as the holder does it on another PC. */
  async function licenceFileFor(pc: Pc, licence: IssuedLicence, road: Road = 'holder', form: 'json' | 'text' = 'json') {
    const request = createActivationRequest(pc.options);
    const res = await upload(road, licence, 'offline-activations', { request: form === 'json' ? JSON.parse(request.json) : request.text });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { fileName: 'nomina-licence.lic', licenceId: licence.licenceId } });
    return res.body as { licenceFile: string; deviceId: string; newDevice: boolean; expiresAt: string; entitlements: string[] };
  }

  const refusalOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LicenceFileError);
    return (error as LicenceFileError).code;
  };

  it.each(ROADS.map((road, i) => [road, i === 1 ? 'text' : 'json'] as const))(
    'activates a PC with no network through the %s (request as %s): import, then start() answers VALID from the file',
    async (road, form) => {
      const licence = await world.issue({ maxMachines: 2, entitlements: ['export-pdf'], offlineLicenceDays: 30 });
      const pc = aPc(licence);
      const issued = await licenceFileFor(pc, licence, road, form);
      expect(issued).toMatchObject({ newDevice: true, entitlements: ['export-pdf'] });
      expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(29 * DAY);

      const imported = await importLicenceFile(pc.options, issued.licenceFile);
      expect(imported).toMatchObject({ valid: true, source: 'licence-file', licenceId: licence.licenceId, deviceId: issued.deviceId });
      const verdict = await pc.start();
      expect(verdict).toMatchObject({
        valid: true, code: 'VALID', offline: true, source: 'licence-file', entitlements: ['export-pdf'], licenceId: licence.licenceId, deviceId: issued.deviceId,
      });
      // The file's exp is in whole seconds (JWT NumericDate); the response's expiresAt may carry milliseconds.
      expect(verdict.expiresAt!.getTime()).toBe(Math.floor(Date.parse(issued.expiresAt) / 1000) * 1000);

      const device = await world.h.services.prisma.device.findUniqueOrThrow({ where: { id: issued.deviceId } });
      expect(device).toMatchObject({ licenceId: licence.licenceId, activationMode: 'offline', releasedAt: null });
      const audit = await world.h.audit.findMany({ where: { action: 'offline_activation.issued', resourceId: issued.deviceId } });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorType).toBe(road === 'holder' ? 'subject' : road === 'support' ? 'staff' : 'api_key');
      if (road === 'support') expect(audit[0]!.purpose).toBe(REASON);
      // No key, file or identity in the trail.
      for (const secret of [licence.key, issued.licenceFile, pc.identity.pcName, pc.identity.macAddresses[0]!]) expect(audit[0]!.details ?? '').not.toContain(secret);
    },
  );

  it('renews before expiry with the same device key: same seat, a new file', async () => {
    const licence = await world.issue({ maxMachines: 1, offlineLicenceDays: 30 });
    const pc = aPc(licence);
    const first = await licenceFileFor(pc, licence);
    await importLicenceFile(pc.options, first.licenceFile);
    const renewal = await licenceFileFor(pc, licence, 'api-key');
    expect(renewal).toMatchObject({ newDevice: false, deviceId: first.deviceId });
    await importLicenceFile(pc.options, renewal.licenceFile);
    expect(await pc.start()).toMatchObject({ valid: true, source: 'licence-file', deviceId: first.deviceId });
  });

  it('refuses the file on a PC with another identity, or after the user account changed', async () => {
    const licence = await world.issue({ offlineLicenceDays: 30 });
    const pc = aPc(licence);
    const { licenceFile } = await licenceFileFor(pc, licence);

    const otherPc = aPc(licence);
    createActivationRequest(otherPc.options); // it has a device key and requests of its own
    expect(await refusalOf(importLicenceFile(otherPc.options, licenceFile))).toBe('LICENCE_FILE_OTHER_DEVICE');
    // The same PC name and account but another storage (another device key): refused too.
    const cloneOfPc = aPc(licence, pc.identity);
    createActivationRequest(cloneOfPc.options);
    expect(await refusalOf(importLicenceFile(cloneOfPc.options, licenceFile))).toBe('LICENCE_FILE_OTHER_DEVICE');

    await importLicenceFile(pc.options, licenceFile);
    const anotherUser = aPc(licence, { ...pc.identity, ntUsername: 'someone-else' }, pc.storageDir);
    expect(await anotherUser.start()).toMatchObject({ valid: false, code: 'LICENCE_FILE_OTHER_DEVICE', offline: true, entitlements: [] });
    expect(await pc.start()).toMatchObject({ valid: true });
  });

  it('refuses a file with one byte changed, a licence token passed as a file, and a replayed file', async () => {
    const licence = await world.issue({ offlineLicenceDays: 30 });
    const pc = aPc(licence);
    const { licenceFile } = await licenceFileFor(pc, licence);
    // The licence is the first line; the service's key set follows it (docs/offline-activation.md §3).
    const [licenceLine, ...keySet] = licenceFile.split('\n') as [string, ...string[]];
    expect(keySet.length).toBeGreaterThanOrEqual(1);
    const [header, payload, signature] = licenceLine.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const longer = [header, Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86_400 })).toString('base64url'), signature].join('.');
    expect(await refusalOf(importLicenceFile(pc.options, [longer, ...keySet].join('\n')))).toBe('LICENCE_FILE_UNTRUSTED');
    const flipped = licenceLine.slice(0, -5) + (licenceLine.at(-5) === 'A' ? 'B' : 'A') + licenceLine.slice(-4);
    expect(await refusalOf(importLicenceFile(pc.options, [flipped, ...keySet].join('\n')))).toBe('LICENCE_FILE_UNTRUSTED');

    // A real licence token for this very PC (it went online once) is not a licence file.
    const online = aPc(licence, pc.identity, pc.storageDir);
    await online.start(world.server.url);
    const token = JSON.parse(fs.readFileSync(path.join(pc.storageDir, 'licence-token.json'), 'utf8')).token as string;
    expect(await refusalOf(importLicenceFile(pc.options, token))).toBe('LICENCE_FILE_UNTRUSTED');

    await importLicenceFile(pc.options, licenceFile);
    expect(await refusalOf(importLicenceFile(pc.options, licenceFile))).toBe('LICENCE_FILE_UNKNOWN_REQUEST');
  });

  it('refuses an expired file at import and answers LICENCE_FILE_EXPIRED at start once it runs out', async () => {
    const licence = await world.issue({ offlineLicenceDays: 1 });
    const pc = aPc(licence);
    const late = await licenceFileFor(pc, licence);
    world.clock.offsetMs = DAY + 60_000;
    expect(await refusalOf(importLicenceFile(pc.options, late.licenceFile))).toBe('LICENCE_FILE_EXPIRED');

    world.clock.offsetMs = 0;
    const { licenceFile } = await licenceFileFor(pc, licence);
    await importLicenceFile(pc.options, licenceFile);
    expect(await pc.start()).toMatchObject({ valid: true, source: 'licence-file' });
    world.clock.offsetMs = DAY + 60_000;
    expect(await pc.start()).toMatchObject({ valid: false, code: 'LICENCE_FILE_EXPIRED', offline: true, source: 'licence-file' });
  });

  it('counts offline activations against maxMachines: two online PCs, then the offline third is refused', async () => {
    const licence = await world.issue({ maxMachines: 2, offlineLicenceDays: 30 });
    expect(await aPc(licence).start(world.server.url)).toMatchObject({ valid: true });
    expect(await aPc(licence).start(world.server.url)).toMatchObject({ valid: true });
    const third = aPc(licence);
    const res = await upload('holder', licence, 'offline-activations', { request: JSON.parse(createActivationRequest(third.options).json) });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'TOO_MANY_MACHINES' });
    // And the other way round: an offline PC holds its seat against an online newcomer.
    const licence2 = await world.issue({ maxMachines: 2, offlineLicenceDays: 30 });
    await licenceFileFor(aPc(licence2), licence2, 'support');
    expect(await aPc(licence2).start(world.server.url)).toMatchObject({ valid: true });
    expect(await aPc(licence2).start(world.server.url)).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES' });
  });

  it('takes no more than maxMachines seats when online and offline activations race', async () => {
    const licence = await world.issue({ maxMachines: 2, offlineLicenceDays: 30 });
    const [a, b, c, d] = [aPc(licence), aPc(licence), aPc(licence), aPc(licence)];
    const offline = (pc: Pc) => upload('api-key', licence, 'offline-activations', { request: JSON.parse(createActivationRequest(pc.options).json) })
      .then((res) => (res.status === 201 ? 'seat' : `${res.status} ${res.body.code}`));
    const online = (pc: Pc) => pc.start(world.server.url).then((v) => (v.valid ? 'seat' : v.code));
    const outcomes = await Promise.all([offline(a), online(b), offline(c), online(d)]);
    expect(outcomes.filter((o) => o === 'seat')).toHaveLength(2);
    for (const refused of outcomes.filter((o) => o !== 'seat')) expect(refused).toMatch(/TOO_MANY_MACHINES$/);
    expect(await world.h.services.prisma.device.count({ where: { licenceId: licence.licenceId, releasedAt: null } })).toBe(2);
  });

  it.each(ROADS)('frees the seat with a release file uploaded by the %s, once (a replay is refused)', async (road) => {
    const licence = await world.issue({ maxMachines: 1, transfersPer30Days: 3, offlineLicenceDays: 30 });
    const pc = aPc(licence);
    const { licenceFile, deviceId } = await licenceFileFor(pc, licence);
    await importLicenceFile(pc.options, licenceFile);
    expect(await aPc(licence).start(world.server.url)).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES' });

    const release = createReleaseFile(pc.options);
    expect(release.fileName).toBe('nomina-release.jws');
    expect(await pc.start()).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN' }); // the app stops here at once
    const res = await upload(road, licence, 'offline-releases', { release: release.text });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { licenceId: licence.licenceId, deviceId } });
    const device = await world.h.services.prisma.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.releasedAt).not.toBeNull();
    expect(await aPc(licence).start(world.server.url)).toMatchObject({ valid: true });

    const replay = await upload(road, licence, 'offline-releases', { release: release.text });
    expect({ status: replay.status, code: replay.body.code }).toEqual({ status: 409, code: 'RELEASE_ALREADY_USED' });
    expect(await world.h.services.prisma.auditEntry.count({ where: { action: 'offline_release.accepted', resourceId: deviceId } })).toBe(1);
  });

  it('refuses a release file for an activation since renewed, and one not signed by the device key', async () => {
    const licence = await world.issue({ maxMachines: 1, transfersPer30Days: 3, offlineLicenceDays: 30 });
    const pc = aPc(licence);
    await importLicenceFile(pc.options, (await licenceFileFor(pc, licence)).licenceFile);
    const stale = createReleaseFile(pc.options);
    await importLicenceFile(pc.options, (await licenceFileFor(pc, licence)).licenceFile); // renewed
    const res = await upload('holder', licence, 'offline-releases', { release: stale.text });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'RELEASE_ALREADY_USED' });

    const current = createReleaseFile(pc.options);
    const [header, payload] = current.text.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(64, 7).toString('base64url')}`;
    expect((await upload('holder', licence, 'offline-releases', { release: forged })).status).toBeGreaterThanOrEqual(400);
    expect((await upload('holder', licence, 'offline-releases', { release: current.text })).status).toBe(200);
  });

  it('sends the telemetry tracked offline once the PC reaches the service', async () => {
    const licence = await world.issue({ offlineLicenceDays: 30 });
    const pc = aPc(licence);
    await importLicenceFile(pc.options, (await licenceFileFor(pc, licence)).licenceFile);
    const offlineApp = world.client(licence, { storageDir: pc.storageDir, identity: pc.identity, serverUrl: NO_NETWORK });
    expect(await offlineApp.start()).toMatchObject({ valid: true, source: 'licence-file' });
    const feature = `offline_${randomUUID().slice(0, 8)}`;
    offlineApp.track(feature);
    await offlineApp.shutdown(200);
    expect((await storedEvents(world, licence.productId)).map((e) => e.name)).not.toContain(feature);

    const onlineApp = world.client(licence, { storageDir: pc.storageDir, identity: pc.identity });
    expect(await onlineApp.start()).toMatchObject({ valid: true, offline: false, source: 'online' });
    await onlineApp.flush();
    expect((await storedEvents(world, licence.productId)).map((e) => e.name)).toContain(feature);
  });

  it('refuses to activate another holder\'s licence from the privacy page (404)', async () => {
    const mine = await world.issue({ offlineLicenceDays: 30 });
    const theirs = await world.issue({ offlineLicenceDays: 30 });
    const request = createActivationRequest(aPc(theirs).options);
    const res = await upload('holder', mine, 'offline-activations', { request: JSON.parse(request.json) });
    expect(res.status).toBe(404);
  });

  // Last in this world: it rotates the service's signing key.
  it('activates a PC whose app pins only the key since rotated out: the file carries the key set, signed by the old key too', async () => {
    const admin = await world.h.login('admin');
    const rotation = await world.h.api.post('/v1/signing-keys/actions/rotate').set(world.h.auth(admin)).expect(200);
    expect(rotation.body.retired).toEqual(world.pinnedKeys.map((k) => k.kid));
    const licence = await world.issue({ offlineLicenceDays: 30 });
    const pc = aPc(licence); // publicKeys: world.pinnedKeys, the old key only
    expect(pc.options.publicKeys.map((k) => k.kid)).not.toContain(rotation.body.kid);
    const { licenceFile, deviceId } = await licenceFileFor(pc, licence, 'api-key');
    expect(decodeProtectedHeader(licenceFile.split('\n')[0]!).kid).toBe(rotation.body.kid);

    expect(await importLicenceFile(pc.options, licenceFile)).toMatchObject({ valid: true, source: 'licence-file', licenceId: licence.licenceId, deviceId });
    // A later start: a new client with nothing but its storage, the network still unreachable.
    expect(await pc.start()).toMatchObject({ valid: true, code: 'VALID', offline: true, source: 'licence-file', deviceId });
  });
});
