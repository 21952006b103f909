/**
 * The request lifecycle: received → identity_verified → in_progress → completed | rejected.
 * Nothing is shown, changed or erased before identity is verified (docs/architecture.md §2.5), so a request
 * can be completed only from identity_verified or in_progress; it can be rejected at any open
 * stage (e.g. identity could not be established).
 */
import type { PrivacyRequestStatus } from '../../generated/prisma/enums';

export type RequestAction = 'verify_identity' | 'start' | 'complete' | 'reject' | 'extend';

/** the statuses of a request not yet completed or rejected */
export const OPEN_STATUSES: readonly PrivacyRequestStatus[] = ['received', 'identity_verified', 'in_progress'];

const ALLOWED: Record<RequestAction, readonly PrivacyRequestStatus[]> = {
  verify_identity: ['received'],
  start: ['identity_verified'],
  complete: ['identity_verified', 'in_progress'],
  reject: OPEN_STATUSES,
  extend: OPEN_STATUSES,
};

export function canApply(action: RequestAction, status: PrivacyRequestStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** The statuses `action` may be applied from (the `WHERE status IN …` of its conditional update). */
export function allowedFrom(action: RequestAction): readonly PrivacyRequestStatus[] {
  return ALLOWED[action];
}
