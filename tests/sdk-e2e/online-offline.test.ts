/**
 * The SDK against the real server (issue 7): online validation, the cached token carrying the
 * app through an outage for the policy's offline grace and no longer, and a clock set back.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateKey } from '../../client-sdk/src/key-format';
import { openSdkWorld, type SdkWorld } from './support/sdk-world';

const HOUR = 3600_000;
let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => { world.clock.offsetMs = 0; });

/** Stops the real server for the duration of `body`; the port then refuses connections. */
async function withServerDown<T>(body: () => Promise<T>): Promise<T> {
  await world.server.stop();
  try {
    return await body();
  } finally {
    await world.server.start();
  }
}

describe('online validation', () => {
  it('answers VALID with the licence entitlements and caches the verified token on disk', async () => {
    const licence = await world.issue({ entitlements: ['core', 'export.pdf'] });
    const storageDir = world.storageDir();
    const verdict = await world.client(licence, { storageDir }).start();
    expect(verdict).toMatchObject({
      valid: true, code: 'VALID', offline: false, warnings: [], entitlements: ['core', 'export.pdf'], licenceId: licence.licenceId, telemetry: 'all',
    });
    const device = await world.h.services.prisma.device.findFirstOrThrow({ where: { licenceId: licence.licenceId } });
    expect(verdict.deviceId).toBe(device.id);
    // The grace is the policy's (72 h by default), counted from the server's signing time.
    expect(verdict.expiresAt!.getTime() - Date.now()).toBeGreaterThan(71 * HOUR);
    expect(verdict.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(72 * HOUR);

    const cached = JSON.parse(fs.readFileSync(path.join(storageDir, 'licence-token.json'), 'utf8'));
    expect(cached.token.split('.')).toHaveLength(3);
    expect(JSON.stringify(cached)).not.toContain(licence.key); // the key itself is never written
  });

  it('accepts the key as a user types it and the product code in any case', async () => {
    const licence = await world.issue();
    const typed = licence.key.toLowerCase().replace(/-/g, ' ');
    expect(await world.client(licence, { key: typed, product: licence.productCode.toLowerCase() }).start()).toMatchObject({ valid: true, code: 'VALID' });
  });

  it('believes a signed refusal (SUSPENDED) and an unknown key (NOT_FOUND, unsigned)', async () => {
    const licence = await world.issue();
    const admin = await world.h.login('admin');
    await world.h.api.post(`/v1/licences/${licence.licenceId}/actions/suspend`).set(world.h.auth(admin)).send({ reason: 'e2e' }).expect(200);
    expect(await world.client(licence).start()).toMatchObject({ valid: false, code: 'SUSPENDED', offline: false, entitlements: [] });

    // A well-formed key (right check character) that was never issued: the server signs nothing for it.
    const unknown = { ...licence, key: generateKey(licence.productCode, randomBytes) };
    expect(await world.client(unknown).start()).toMatchObject({ valid: false, code: 'NOT_FOUND', offline: false, licenceId: null });
  });
});

describe('offline', () => {
  it('starts from the cached token while the server is down, and refuses once the grace has passed', async () => {
    const licence = await world.issue({ offlineGraceHours: 24, entitlements: ['core', 'export.pdf'] });
    const storageDir = world.storageDir();
    const online = await world.client(licence, { storageDir }).start();
    expect(online).toMatchObject({ valid: true, offline: false });

    await withServerDown(async () => {
      world.clock.offsetMs = 23 * HOUR;
      const offline = await world.client(licence, { storageDir }).start();
      expect(offline).toMatchObject({
        valid: true, code: 'VALID', offline: true, warnings: ['SERVER_UNREACHABLE'], entitlements: ['core', 'export.pdf'], licenceId: licence.licenceId,
      });
      expect(offline.expiresAt).toEqual(online.expiresAt);

      world.clock.offsetMs = 24 * HOUR + 60_000;
      expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: false, code: 'OFFLINE_GRACE_EXPIRED', offline: true, entitlements: [] });
    });
    // Back online the server renews the grace.
    world.clock.offsetMs = 0;
    expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: true, offline: false });
  });

  it('never answers offline for a key that was not validated on this computer', async () => {
    const licence = await world.issue();
    await withServerDown(async () => {
      expect(await world.client(licence).start()).toMatchObject({ valid: false, code: 'OFFLINE_NO_TOKEN', offline: true });
    });
  });
});

describe('clock rollback', () => {
  it('refuses to answer offline when the clock is set back before the last server time, and warns online', async () => {
    const licence = await world.issue({ offlineGraceHours: 72 });
    const storageDir = world.storageDir();
    await world.client(licence, { storageDir }).start();

    await withServerDown(async () => {
      // Within the tolerance (clocks drift, time zones change): still fine.
      world.clock.offsetMs = -30 * 60_000;
      expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: true, offline: true });
      world.clock.offsetMs = -2 * HOUR;
      expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: false, code: 'CLOCK_ROLLBACK', offline: true });
      // Deleting the SDK's record of server time does not help: the cached token's signed iat is one too.
      fs.rmSync(path.join(storageDir, 'clock.json'));
      expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: false, code: 'CLOCK_ROLLBACK' });
    });

    // Online (the clock still 2 h behind), the server's fresh answer wins, with a warning the app may show.
    const online = await world.client(licence, { storageDir }).start();
    expect(online).toMatchObject({ valid: true, offline: false });
    expect(online.warnings).toContain('CLOCK_ROLLBACK');
  });
});
