/**
 * Keyed blind indexes: HMAC-SHA256(indexKey, kind ‖ normalised value). They allow equality
 * lookups (search by e-mail, device matching by PC name or MAC) without decrypting anything,
 * and cannot be reversed or matched by anyone without the index key.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import { hmacKey } from './hmac-key';

export type IndexedKind = 'email' | 'nt_account' | 'pc_name' | 'mac' | 'name_token';

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

/**
 * The words of a person's name as a search box should meet them: "Renée  Van der Berg-Dupont" →
 * ["renee", "van", "der", "berg", "dupont"] (accents dropped, case folded, split on anything that
 * is not a letter or digit), so a search for "van der berg" or "Renee" finds her.
 */
export function nameTokens(value: string): string[] {
  const folded = value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return [...new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0))].slice(0, 32);
}

const NORMALISE: Record<IndexedKind, (value: string) => string> = {
  email: normaliseEmail,
  nt_account: (value) => value.normalize('NFC').trim().toLowerCase(),
  pc_name: normalisePcName,
  mac: (value) => value.trim().toUpperCase(),
  name_token: (value) => value,
};

export class BlindIndex {
  private readonly key: KeyObject;

  constructor(key: Buffer) {
    this.key = hmacKey(key);
  }

  of(kind: IndexedKind, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\0${NORMALISE[kind](value)}`).digest('base64url');
  }

  /** One index per word of a name (see nameTokens). */
  ofNameTokens(...names: (string | null | undefined)[]): string[] {
    return [...new Set(names.flatMap((n) => (n ? nameTokens(n) : [])))].map((t) => this.of('name_token', t));
  }
}
