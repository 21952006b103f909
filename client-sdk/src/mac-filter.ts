/**
 * Which MAC addresses identify the physical machine. Virtual, randomised and VPN adapters come
 * and go (or are shared by every clone of a VM image), so sending them would make one PC look
 * like many devices and trip fraud signals for honest users.
 */

export interface InterfaceAddress {
  mac: string;
  internal: boolean;
}

export type InterfaceTable = Record<string, readonly InterfaceAddress[] | undefined>;

export const MAX_MAC_ADDRESSES = 16;

// Matched against the adapter's name (Windows friendly names and Linux/macOS device names).
const VIRTUAL_ADAPTER_NAMES: readonly RegExp[] = [
  /hyper-?v/i, /vethernet/i, /vmware/i, /^vmnet/i, /virtualbox/i, /^vboxnet/i,
  /docker/i, /\bwsl\b/i, /^veth/i, /^br-/i, /^virbr/i, /^lxc/i, /^cni/i, /^flannel/i,
  /vpn/i, /\btap\b/i, /^tap\d/i, /tap-windows/i, /\btun\b/i, /^u?tun\d/i, /wireguard/i, /^wg\d/i,
  /zerotier/i, /tailscale/i, /npcap/i, /loopback/i, /^lo\d*$/i, /bluetooth/i,
  /^awdl\d/i, /^llw\d/i, /^bridge\d/i, /^anpi\d/i, /teredo/i, /isatap/i, /6to4/i,
];

// Vendor prefixes (OUIs) that only hypervisors hand out.
const VIRTUAL_VENDOR_PREFIXES: ReadonlySet<string> = new Set([
  '00:05:69', '00:0C:29', '00:1C:14', '00:50:56', // VMware
  '08:00:27', '0A:00:27', // VirtualBox
  '00:15:5D', // Hyper-V
  '00:1C:42', // Parallels
  '00:16:3E', // Xen
  '52:54:00', // QEMU/KVM
  '02:42', // Docker (also locally administered; listed for clarity)
]);

/** `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`, `aabbccddeeff` → `AA:BB:CC:DD:EE:FF`; null if not a MAC. */
export function normaliseMac(raw: string): string | null {
  const hex = raw.trim().replace(/[:.\-\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

export function isVirtualAdapterName(name: string): boolean {
  return VIRTUAL_ADAPTER_NAMES.some((pattern) => pattern.test(name));
}

/** True for a globally unique, unicast address not handed out by a hypervisor. */
export function isPhysicalMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'FF:FF:FF:FF:FF:FF') return false;
  const firstOctet = parseInt(mac.slice(0, 2), 16);
  if (firstOctet & 0x01) return false; // I/G bit: multicast
  if (firstOctet & 0x02) return false; // U/L bit: locally administered, e.g. Wi-Fi MAC randomisation
  return !VIRTUAL_VENDOR_PREFIXES.has(mac.slice(0, 8)) && !VIRTUAL_VENDOR_PREFIXES.has(mac.slice(0, 5));
}

/** The physical adapters' MACs: normalised, de-duplicated, sorted (stable order), capped. */
export function selectPhysicalMacs(table: InterfaceTable): string[] {
  const macs = new Set<string>();
  for (const [name, addresses] of Object.entries(table)) {
    if (!addresses || isVirtualAdapterName(name)) continue;
    for (const address of addresses) {
      if (address.internal) continue;
      const mac = normaliseMac(address.mac);
      if (mac && isPhysicalMac(mac)) macs.add(mac);
    }
  }
  return [...macs].sort().slice(0, MAX_MAC_ADDRESSES);
}
