import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { hmacKey } from '../crypto/hmac-key';

/**
 * A keyed hash of the client's network (/24 for IPv4, /48 for IPv6), never the address: enough to
 * tell "the same device from two networks at once" (fraud) without storing where anyone is.
 */
export function networkHash(indexKey: Buffer, address: string | undefined): string | null {
  const prefix = networkPrefix(address);
  return prefix ? createHmac('sha256', hmacKey(indexKey)).update(`network\0${prefix}`).digest('base64url') : null;
}

export function networkPrefix(address: string | undefined): string | null {
  if (!address) return null;
  const v4 = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return null;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/48`;
}
