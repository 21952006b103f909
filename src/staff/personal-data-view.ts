/**
 * Who sees personal data in full (docs/architecture.md §8): the privacy officer and admins always (still
 * audited); support only when it states a purpose (X-Purpose, e.g. a ticket reference) for
 * one record. Lists are masked for support whatever the purpose. An API key is treated like
 * support, and only a key with the `personal_data:unmasked` scope may unmask, one record with a purpose.
 */
import type { StaffPrincipal } from '../http/route';

export type View = 'full' | 'masked';

export function viewFor(staff: StaffPrincipal, purpose: string | null, scope: 'one' | 'list'): View {
  if (staff.kind === 'api_key') return staff.scopes.includes('personal_data:unmasked') && scope === 'one' && purpose ? 'full' : 'masked';
  if (staff.roles.includes('privacy_officer') || staff.roles.includes('admin')) return 'full';
  if (staff.roles.includes('support') && scope === 'one' && purpose) return 'full';
  return 'masked';
}

/** "Jonathan" → "J•••"; "jdoe@contoso.com" → "j•••@contoso.com". */
export function mask(value: string | null, kind: 'text' | 'email' = 'text'): string | null {
  if (value === null || value === '') return value;
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    return at > 0 ? `${[...value][0]}•••${value.slice(at)}` : '•••';
  }
  return `${[...value][0]}•••`;
}
