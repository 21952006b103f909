/**
 * What the SDK tells us about a machine (docs/architecture.md §4): NT account, PC name and the MACs of its
 * physical adapters. Normalised and bounded here; matched only through blind indexes, so the
 * validation hot path never decrypts anything.
 */
import { z } from 'zod';
import type { BlindIndex } from '../crypto/blind-index';
import { normaliseNtAccount } from '../crypto/blind-index';

/** The SDK sends at most 16; a few more are tolerated (docking stations, USB adapters). */
export const MAX_MAC_ADDRESSES = 32;

const MAC_FORMATS = [
  /^[0-9A-F]{2}([:-])[0-9A-F]{2}(\1[0-9A-F]{2}){4}$/i, // 00:1A:2B:3C:4D:5E, 00-1A-2B-3C-4D-5E
  /^[0-9A-F]{4}\.[0-9A-F]{4}\.[0-9A-F]{4}$/i, // 001a.2b3c.4d5e
  /^[0-9A-F]{12}$/i, // 001A2B3C4D5E
];

/** `00-1a-2b-3c-4d-5e` → `00:1A:2B:3C:4D:5E`; null for anything that cannot identify one adapter. */
export function canonicalMac(raw: string): string | null {
  const value = raw.trim();
  if (!MAC_FORMATS.some((format) => format.test(value))) return null;
  const hex = value.replace(/[:.-]/g, '').toUpperCase();
  if (hex === '000000000000') return null;
  if (parseInt(hex.slice(0, 2), 16) & 0x01) return null; // multicast and broadcast are not adapters
  return hex.match(/../g)!.join(':');
}

// C0/C1 controls, and the bidi overrides/isolates that make a name display as another one in the
// console. Right-to-left scripts themselves are welcome: they are people's names.
const FORBIDDEN_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const identifier = (max: number, what: string) => z.string()
  .max(max * 4, `at most ${max} characters`)
  .transform((v) => v.normalize('NFC').trim())
  .refine((v) => v.length > 0, `${what} must not be empty`)
  .refine((v) => [...v].length <= max, `at most ${max} characters`)
  .refine((v) => !FORBIDDEN_CHARACTERS.test(v), 'control and bidi-override characters are not allowed');

const mac = z.string().max(32, 'not a MAC address').transform((value, ctx) => {
  const canonical = canonicalMac(value);
  if (!canonical) {
    ctx.addIssue({ code: 'custom', message: 'not a unicast MAC address such as 00:1A:2B:3C:4D:5E' });
    return z.NEVER;
  }
  return canonical;
});

export const DeviceBody = z.object({
  ntUsername: identifier(256, 'ntUsername'),
  ntDomain: z.string().max(1024).transform((v) => v.normalize('NFC').trim())
    .refine((v) => [...v].length <= 255, 'at most 255 characters')
    .refine((v) => !FORBIDDEN_CHARACTERS.test(v), 'control and bidi-override characters are not allowed')
    .nullish(),
  pcName: identifier(64, 'pcName'),
  // The length is checked before any element is parsed: a hostile list costs one comparison.
  macAddresses: z.array(z.unknown()).max(MAX_MAC_ADDRESSES, `at most ${MAX_MAC_ADDRESSES} MAC addresses`)
    .pipe(z.array(mac))
    .transform((macs) => [...new Set(macs)].sort()),
});
export type DeviceBody = z.infer<typeof DeviceBody>;

/** A device as validation sees it: display forms (to encrypt) and their blind indexes (to match). */
export interface DeviceIdentity {
  pcName: string;
  ntAccount: string;
  macs: string[];
  pcNameIndex: string;
  ntAccountIndex: string;
  /** the user name without its domain, for staff search ("jdoe" finds CONTOSO\jdoe) */
  ntUserIndex?: string;
  macIndexes: string[];
}

export function identifyDevice(blindIndex: BlindIndex, device: DeviceBody): DeviceIdentity {
  const domain = device.ntDomain ? device.ntDomain : null;
  const accountIndex = ntAccountIndex(blindIndex, domain, device.ntUsername);
  return {
    pcName: device.pcName,
    ntAccount: domain ? `${domain}\\${device.ntUsername}` : device.ntUsername,
    macs: device.macAddresses,
    pcNameIndex: blindIndex.of('pc_name', device.pcName),
    ntAccountIndex: accountIndex,
    ntUserIndex: domain ? ntAccountIndex(blindIndex, null, device.ntUsername) : accountIndex,
    macIndexes: device.macAddresses.map((m) => blindIndex.of('mac', m)),
  };
}

export function ntAccountIndex(blindIndex: BlindIndex, domain: string | null, username: string): string {
  return blindIndex.of('nt_account', normaliseNtAccount(domain, username));
}
