/**
 * Keyed blind indexes: HMAC-SHA256(indexKey, kind ‖ normalised value). They allow equality
 * lookups (search by e-mail, device matching by PC name or MAC) without decrypting anything,
 * and cannot be reversed or matched by anyone without the index key.
 */
import { createHmac } from 'node:crypto';

export type IndexedKind = 'email' | 'nt_account' | 'pc_name' | 'mac';

export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

/** Windows account and computer names compare case-insensitively. */
export function normaliseNtAccount(domain: string | null | undefined, username: string): string {
  const user = username.normalize('NFC').trim().toLowerCase();
  const dom = (domain ?? '').normalize('NFC').trim().toLowerCase();
  return dom ? `${dom}\\${user}` : user;
}

export function normalisePcName(pcName: string): string {
  return pcName.normalize('NFC').trim().toUpperCase();
}

const NORMALISE: Record<IndexedKind, (value: string) => string> = {
  email: normaliseEmail,
  nt_account: (value) => value.normalize('NFC').trim().toLowerCase(),
  pc_name: normalisePcName,
  mac: (value) => value.trim().toUpperCase(),
};

export class BlindIndex {
  constructor(private readonly key: Buffer) {}

  of(kind: IndexedKind, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\0${NORMALISE[kind](value)}`).digest('base64url');
  }
}
