import { createHash } from 'node:crypto';
import type { DeviceIdentity } from '../identity.js';
import { normaliseMac } from '../mac-filter.js';

/** `idh` of a licence file: the identity it was issued for, hashed (not at a glance, not linkable across files; guessable, not secret). */
export interface IdentityHashes {
  user: string;
  pc: string;
  macs: string[];
}

/** base64url(SHA-256(nonce + "\n" + value)); salted with the nonce so two files cannot be linked. */
function hash(nonce: string, value: string): string {
  return createHash('sha256').update(`${nonce}\n${value}`).digest('base64url');
}

/** As /v1/validate normalises before comparing: NFC, trimmed. */
const clean = (value: string | undefined) => (value ?? '').normalize('NFC').trim();

/** The values the service hashed (docs/offline-activation.md §3), from this PC's identity. */
export function hashIdentity(nonce: string, identity: DeviceIdentity): IdentityHashes {
  const user = clean(identity.ntUsername).toLowerCase();
  const domain = clean(identity.ntDomain).toLowerCase();
  return {
    user: hash(nonce, domain ? `${domain}\\${user}` : user),
    pc: hash(nonce, clean(identity.pcName).toUpperCase()),
    macs: identity.macAddresses.map((mac) => hash(nonce, normaliseMac(mac) ?? clean(mac).toUpperCase())),
  };
}

/** Same account and PC name, and at least one MAC in common (or no MACs on either side). */
export function identityMatches(issuedFor: IdentityHashes, nonce: string, identity: DeviceIdentity): boolean {
  const here = hashIdentity(nonce, identity);
  if (issuedFor.user !== here.user || issuedFor.pc !== here.pc) return false;
  if (issuedFor.macs.length === 0 && here.macs.length === 0) return true;
  return here.macs.some((mac) => issuedFor.macs.includes(mac));
}
