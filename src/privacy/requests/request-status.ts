/**
 * The request lifecycle: received → identity_verified → in_progress → completed | rejected.
 * Nothing is shown, changed or erased before identity is verified (DESIGN §2.5), so a request
 * can be completed only from identity_verified or in_progress; it can be rejected at any open
 * stage (e.g. identity could not be established).
 */
import type { PrivacyRequestStatus } from '../../generated/prisma/enums';

export type RequestAction = 'verify_identity' | 'start' | 'complete' | 'reject' | 'extend';

const OPEN: PrivacyRequestStatus[] = ['received', 'identity_verified', 'in_progress'];

const ALLOWED: Record<RequestAction, PrivacyRequestStatus[]> = {
  verify_identity: ['received'],
  start: ['identity_verified'],
  complete: ['identity_verified', 'in_progress'],
  reject: OPEN,
  extend: OPEN,
};

export function isOpen(status: PrivacyRequestStatus): boolean {
  return OPEN.includes(status);
}

export function canApply(action: RequestAction, status: PrivacyRequestStatus): boolean {
  return ALLOWED[action].includes(status);
}

export function nextStatus(action: RequestAction, status: PrivacyRequestStatus): PrivacyRequestStatus | null {
  if (!canApply(action, status)) return null;
  switch (action) {
    case 'verify_identity': return 'identity_verified';
    case 'start': return 'in_progress';
    case 'complete': return 'completed';
    case 'reject': return 'rejected';
    case 'extend': return status;
  }
}
