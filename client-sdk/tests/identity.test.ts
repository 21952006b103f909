import { collectDeviceIdentity } from '../src/identity';
import { isPhysicalMac, normaliseMac, selectPhysicalMacs, type InterfaceTable } from '../src/mac-filter';

const physical = (mac: string) => [{ mac, internal: false }];

// A Windows laptop with a dock, Wi-Fi, and every kind of virtual adapter a developer collects.
const windowsLaptop: InterfaceTable = {
  Ethernet: [{ mac: '3c-7c-3f-1a-2b-3c', internal: false }, { mac: '3C:7C:3F:1A:2B:3C', internal: false }],
  'Wi-Fi': physical('f4:26:79:aa:bb:cc'),
  'Loopback Pseudo-Interface 1': [{ mac: '00:00:00:00:00:00', internal: true }],
  'vEthernet (Default Switch)': physical('00:15:5d:01:02:03'),
  'vEthernet (WSL)': physical('00:15:5d:04:05:06'),
  'VMware Network Adapter VMnet8': physical('00:50:56:c0:00:08'),
  'VirtualBox Host-Only Network': physical('0a:00:27:00:00:0b'),
  'Ethernet 3': physical('08:00:27:12:34:56'), // VirtualBox NIC under a generic name: caught by OUI
  'Ethernet 4': physical('00:0c:29:ab:cd:ef'), // VMware OUI under a generic name
  'Ethernet 5': physical('52:54:00:12:34:56'), // QEMU OUI
  'Ethernet 6': physical('00:1c:42:00:00:01'), // Parallels OUI
  'Ethernet 7': physical('00:16:3e:00:00:01'), // Xen OUI
  'Local Area Connection* 2': physical('f6:26:79:aa:bb:cc'), // Wi-Fi Direct: locally administered
  'OpenVPN TAP-Windows6': physical('00:ff:12:34:56:78'),
  'WireGuard Tunnel': physical('00:11:22:33:44:55'),
  'Npcap Loopback Adapter': physical('02:00:4c:4f:4f:50'),
  'Bluetooth Network Connection': physical('a4:c3:f0:11:22:33'),
  'Multicast test': physical('01:00:5e:00:00:fb'),
  'Broadcast test': physical('ff:ff:ff:ff:ff:ff'),
};

describe('selectPhysicalMacs', () => {
  it('keeps only the physical adapters, normalised and de-duplicated, in sorted order', () => {
    expect(selectPhysicalMacs(windowsLaptop)).toEqual(['3C:7C:3F:1A:2B:3C', 'F4:26:79:AA:BB:CC']);
  });

  it('drops Linux virtual devices by name and Docker-style locally administered addresses', () => {
    const linuxHost: InterfaceTable = {
      lo: [{ mac: '00:00:00:00:00:00', internal: true }],
      enp3s0: physical('d8:bb:c1:00:11:22'),
      wlp2s0: physical('da:bb:c1:00:11:23'), // randomised Wi-Fi MAC: U/L bit set
      docker0: physical('00:1a:2b:3c:4d:5e'),
      'br-5f2c': physical('00:1a:2b:3c:4d:5f'),
      veth12ab: physical('00:1a:2b:3c:4d:60'),
      virbr0: physical('00:1a:2b:3c:4d:61'),
      tun0: physical('00:1a:2b:3c:4d:62'),
      wg0: physical('00:1a:2b:3c:4d:63'),
      vboxnet0: physical('00:1a:2b:3c:4d:64'),
      eth9: physical('02:42:ac:11:00:02'),
      missing: undefined,
    };
    expect(selectPhysicalMacs(linuxHost)).toEqual(['D8:BB:C1:00:11:22']);
  });

  it('caps the list at 16 addresses', () => {
    const many: InterfaceTable = {};
    for (let i = 0; i < 30; i++) many[`Ethernet ${i}`] = physical(`00:1a:2b:3c:4d:${i.toString(16).padStart(2, '0')}`);
    const macs = selectPhysicalMacs(many);
    expect(macs).toHaveLength(16);
    expect(macs[0]).toBe('00:1A:2B:3C:4D:00');
  });
});

describe('MAC helpers', () => {
  it.each([
    ['aa-bb-cc-dd-ee-ff', 'AA:BB:CC:DD:EE:FF'],
    ['aabb.ccdd.eeff', 'AA:BB:CC:DD:EE:FF'],
    ['AABBCCDDEEFF', 'AA:BB:CC:DD:EE:FF'],
    ['aa:bb:cc', null],
    ['zz:bb:cc:dd:ee:ff', null],
  ])('normaliseMac(%j) → %j', (raw, expected) => {
    expect(normaliseMac(raw)).toBe(expected);
  });

  it('rejects all-zero, broadcast, multicast and locally administered addresses', () => {
    expect(isPhysicalMac('00:00:00:00:00:00')).toBe(false);
    expect(isPhysicalMac('FF:FF:FF:FF:FF:FF')).toBe(false);
    expect(isPhysicalMac('01:00:5E:00:00:FB')).toBe(false);
    expect(isPhysicalMac('02:00:00:00:00:01')).toBe(false);
    expect(isPhysicalMac('3C:7C:3F:1A:2B:3C')).toBe(true);
  });
});

describe('collectDeviceIdentity', () => {
  it('reads the NT account from USERNAME/USERDOMAIN and the PC name from the host name', () => {
    const identity = collectDeviceIdentity({
      env: { USERNAME: 'jdoe', USERDOMAIN: 'CONTOSO' },
      hostname: 'LAPTOP-42',
      userName: () => 'ignored',
      networkInterfaces: windowsLaptop,
    });
    expect(identity).toEqual({ ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: ['3C:7C:3F:1A:2B:3C', 'F4:26:79:AA:BB:CC'] });
  });

  it('falls back to the OS user and the short host name outside Windows', () => {
    const identity = collectDeviceIdentity({ env: {}, hostname: 'build-box.example.org', userName: () => 'alice', networkInterfaces: {} });
    expect(identity).toEqual({ ntUsername: 'alice', ntDomain: 'BUILD-BOX', pcName: 'build-box', macAddresses: [] });
  });

  it('survives a host where os.userInfo() throws', () => {
    const identity = collectDeviceIdentity({ env: { USER: 'svc' }, hostname: 'h', userName: () => { throw new Error('no passwd entry'); }, networkInterfaces: {} });
    expect(identity.ntUsername).toBe('svc');
  });
});
