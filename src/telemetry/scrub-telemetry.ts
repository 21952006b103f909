/**
 * Telemetry holds no user names (docs/public-contract.md, the register): the SDK scrubs on the device, and the
 * server scrubs again what arrives — an older SDK, another client, or an app that puts a file path
 * in a property. Pure: the caller passes the names it knows for the sending device.
 *
 * Replaced, in every string property value and in event names:
 * - user-profile paths: `C:\Users\<name>\…`, `C:\Documents and Settings\<name>\…`, `/home/<name>`, `/Users/<name>`;
 * - e-mail addresses, MAC addresses, IPv4 addresses;
 * - the device's NT user name(s) and domain, and its PC name, wherever they appear as a word.
 * Each replacement is counted by kind (the caller feeds a metric).
 */

export type ScrubKind = 'profile_path' | 'email' | 'mac' | 'ip' | 'nt_user' | 'pc_name';

export interface KnownNames {
  /** NT user names without their domain ("jdoe"), and the domains ("CONTOSO") */
  userNames: string[];
  domains: string[];
  pcNames: string[];
}

const WINDOWS_PROFILE = /\b([A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+)(?!<user>)[^\\/:*?"<>|\r\n]+/gi;
const UNIX_PROFILE = /(\/(?:home|Users)\/)(?!<user>)[^/\s:'"]+/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const MAC = /\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b|\b[0-9A-Fa-f]{12}\b/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// Shorter names ("a", "pc") would mangle ordinary words; the SDK uses the same limit.
const MIN_NAME_LENGTH = 3;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type Scrubber = (text: string, counts: Partial<Record<ScrubKind, number>>) => string;

export function createScrubber(names: KnownNames): Scrubber {
  const named: [RegExp, string, ScrubKind][] = [];
  const add = (values: string[], replacement: string, kind: ScrubKind) => {
    const usable = [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= MIN_NAME_LENGTH))];
    // Longest first, so "jdoe.admin" is replaced before "jdoe".
    usable.sort((a, b) => b.length - a.length);
    if (usable.length > 0) named.push([new RegExp(`(?<![\\p{L}\\p{N}])(?:${usable.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu'), replacement, kind]);
  };
  add(names.userNames, '<user>', 'nt_user');
  add(names.pcNames, '<host>', 'pc_name');
  add(names.domains, '<domain>', 'nt_user');
  const rules: [RegExp, string | ((...m: string[]) => string), ScrubKind][] = [
    [WINDOWS_PROFILE, (_m, prefix) => `${prefix}<user>`, 'profile_path'],
    [UNIX_PROFILE, (_m, prefix) => `${prefix}<user>`, 'profile_path'],
    [EMAIL, '<email>', 'email'],
    [MAC, '<mac>', 'mac'],
    [IPV4, '<ip>', 'ip'],
    ...named,
  ];
  return (text, counts) => {
    let out = text;
    for (const [pattern, replacement, kind] of rules) {
      out = out.replace(pattern, (...m: string[]) => {
        counts[kind] = (counts[kind] ?? 0) + 1;
        return typeof replacement === 'string' ? replacement : replacement(...m);
      });
    }
    return out;
  };
}

type Props = Record<string, string | number | boolean>;

/** Scrubs the name and string props of each event (in place); returns the counts by kind. */
export function scrubEvents<E extends { name: string; props?: Props }>(events: E[], scrub: Scrubber): Partial<Record<ScrubKind, number>> {
  const counts: Partial<Record<ScrubKind, number>> = {};
  for (const event of events) {
    event.name = scrub(event.name, counts);
    if (!event.props) continue;
    for (const [key, value] of Object.entries(event.props)) if (typeof value === 'string') event.props[key] = scrub(value, counts);
  }
  return counts;
}
