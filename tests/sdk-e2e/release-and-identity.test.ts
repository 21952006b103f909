/**
 * release() and device identity against the real server (issue 7, docs/architecture.md §4): a released PC is
 * told DEVICE_RELEASED until the user re-activates it, within the policy's transfer budget; and
 * only the MACs of physical adapters leave the machine, stored under blind indexes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InterfaceTable } from '../../client-sdk/src/mac-filter';
import { randomMac } from '../validation/validate-helpers';
import { openSdkWorld, type IssuedLicence, type SdkWorld } from './support/sdk-world';

let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => world.proxy.reset());

async function devicesSeenByStaff(licence: IssuedLicence) {
  const admin = await world.h.login('admin');
  const res = await world.h.api.get(`/v1/licences/${licence.licenceId}/devices`).set(world.h.auth(admin)).expect(200);
  return res.body.items as Array<{ id: string; pcName: string; releasedAt: string | null; releasedBy: string | null; macAddresses: Array<{ mac: string }> }>;
}

describe('release()', () => {
  it('frees the seat; the PC then gets DEVICE_RELEASED until the user re-activates it', async () => {
    const licence = await world.issue({ maxMachines: 1 });
    const storageDir = world.storageDir();
    const first = world.client(licence, { storageDir });
    const activated = await first.start();
    expect(activated).toMatchObject({ valid: true, code: 'VALID' });
    expect(await first.release()).toEqual({ released: true });
    expect(fs.existsSync(path.join(storageDir, 'licence-token.json'))).toBe(false);

    const next = await world.client(licence, { storageDir }).start();
    expect(next).toMatchObject({ valid: false, code: 'DEVICE_RELEASED', offline: false, deviceId: activated.deviceId, entitlements: [] });
    // The refusal is signed and saved: offline, the released PC stays released.
    await world.server.stop();
    try {
      expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: false, code: 'DEVICE_RELEASED', offline: true });
    } finally {
      await world.server.start();
    }

    const again = await world.client(licence, { storageDir, activate: true }).start();
    expect(again).toMatchObject({ valid: true, code: 'VALID' });
    expect(again.deviceId).not.toBe(activated.deviceId); // the server keeps the released row as history
    const devices = await devicesSeenByStaff(licence);
    expect(devices.map((d) => [d.id, d.releasedBy])).toEqual([[activated.deviceId, 'sdk'], [again.deviceId, null]]);
    // A later normal start finds the re-activated device.
    expect(await world.client(licence, { storageDir }).start()).toMatchObject({ valid: true, deviceId: again.deviceId });
  });

  it('keeps the licence when the transfer budget is used up (409), and refuses with a refusal token (403)', async () => {
    const licence = await world.issue({ maxMachines: 3, transfersPer30Days: 1 });
    const [pcA, pcB] = [world.storageDir(), world.storageDir()];
    const a = world.client(licence, { storageDir: pcA });
    await a.start();
    expect(await a.release()).toEqual({ released: true });
    const b = world.client(licence, { storageDir: pcB });
    await b.start();
    expect(await b.release()).toEqual({ released: false, reason: 'HTTP_409' });
    await world.server.stop();
    try {
      expect(await world.client(licence, { storageDir: pcB }).start()).toMatchObject({ valid: true, offline: true });
    } finally {
      await world.server.start();
    }

    const admin = await world.h.login('admin');
    await world.h.api.post(`/v1/licences/${licence.licenceId}/actions/suspend`).set(world.h.auth(admin)).send({}).expect(200);
    const suspended = world.client(licence, { storageDir: pcB });
    expect(await suspended.start()).toMatchObject({ valid: false, code: 'SUSPENDED' });
    expect(await suspended.release()).toEqual({ released: false, reason: 'HTTP_403' });
  });
});

describe('device identity', () => {
  it('sends only physical adapters, and the server stores exactly those MACs (under blind indexes)', async () => {
    const licence = await world.issue();
    const [ethernet, wifi] = [randomMac(), randomMac()];
    const networkInterfaces: InterfaceTable = {
      Ethernet: [{ mac: ethernet.toLowerCase(), internal: false }],
      'Wi-Fi': [{ mac: wifi.replace(/:/g, '-'), internal: false }],
      'Wi-Fi 2': [{ mac: 'DA:A1:19:6E:2B:01', internal: false }], // randomised (locally administered)
      'vEthernet (Default Switch)': [{ mac: '3C:7C:3F:00:00:01', internal: false }], // Hyper-V switch, by name
      'Ethernet 3': [{ mac: '00:15:5D:01:02:03', internal: false }], // Hyper-V, by vendor prefix
      'VMware Network Adapter VMnet8': [{ mac: '00:50:56:C0:00:08', internal: false }],
      'VirtualBox Host-Only Network': [{ mac: '0A:00:27:00:00:0A', internal: false }],
      'vEthernet (WSL)': [{ mac: '00:15:5D:AA:BB:CC', internal: false }],
      docker0: [{ mac: '02:42:AC:11:00:02', internal: false }],
      'TAP-Windows Adapter V9': [{ mac: '00:FF:12:34:56:78', internal: false }],
      'Loopback Pseudo-Interface 1': [{ mac: '00:00:00:00:00:00', internal: true }],
    };
    const identity = { env: { USERNAME: 'jdoe', USERDOMAIN: 'CONTOSO' }, hostname: 'LAPTOP-42.contoso.local', userName: () => 'jdoe', networkInterfaces };
    const verdict = await world.client(licence, { identity, serverUrl: world.proxy.url }).start();
    expect(verdict).toMatchObject({ valid: true });

    const physical = [ethernet, wifi].sort();
    const sent = JSON.parse(world.proxy.requestsTo('/v1/validate')[0]!.body).device;
    expect(sent).toEqual({ ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: physical });

    const [device] = await devicesSeenByStaff(licence);
    expect(device).toMatchObject({ id: verdict.deviceId, pcName: 'LAPTOP-42' });
    expect(device!.macAddresses.map((m) => m.mac).sort()).toEqual(physical);
    const rows = await world.h.services.prisma.deviceMac.findMany({ where: { deviceId: verdict.deviceId! } });
    expect(rows.map((r) => r.macIndex).sort()).toEqual(physical.map((mac) => world.h.services.blindIndex.of('mac', mac)).sort());
    for (const row of rows) for (const mac of physical) expect(row.macEnc).not.toContain(mac);
  });
});
