/**
 * What counts as a purpose when support unmasks personal data (docs/architecture.md §8). A purpose is shown to
 * the subject in their export, so "x" or "." is no purpose at all: it must name something that can
 * be looked up again — a ticket reference such as "SUP-1234", or at least six characters with a
 * letter and a digit ("ticket 4711", "case 99").
 */
import { AppError } from '../http/problem';
import type { StaffPrincipal } from '../http/route';

const TICKET = /^[A-Za-z][A-Za-z0-9]*-\d+$/;
export const PURPOSE_RULE = 'a ticket reference (e.g. SUP-1234) or at least 6 characters with a letter and a digit (e.g. "ticket 4711")';

export function isSensiblePurpose(purpose: string): boolean {
  if (TICKET.test(purpose)) return true;
  return purpose.length >= 6 && /\p{L}/u.test(purpose) && /\p{N}/u.test(purpose);
}

/**
 * Support's purpose unmasks data, so it must be sensible (400 otherwise, pointing at the header);
 * other roles see data by their role and their purpose is only recorded.
 */
export function checkPurpose(staff: StaffPrincipal | undefined, purpose: string | null): void {
  if (!staff || purpose === null) return;
  if (staff.roles.includes('privacy_officer') || staff.roles.includes('admin')) return;
  if (!staff.roles.includes('support')) return;
  if (!isSensiblePurpose(purpose)) {
    throw new AppError('VALIDATION_FAILED', `X-Purpose: ${PURPOSE_RULE}`, { errors: [{ pointer: '/headers/x-purpose', detail: PURPOSE_RULE }] });
  }
}
