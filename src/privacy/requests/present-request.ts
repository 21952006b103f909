import type { PrivacyRequest } from '../../generated/prisma/client';
import { effectiveDueAt, isOverdue } from '../deadlines';
import { iso } from '../subject-data';

/** A request for the subject and for staff: no free-text identity notes (those go to the export only). */
export function presentRequest(r: PrivacyRequest, now = new Date()) {
  return {
    id: r.id,
    type: r.type,
    scope: r.scope,
    reason: r.reason,
    channel: r.channel,
    status: r.status,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: effectiveDueAt(r).toISOString(),
    originalDueAt: r.dueAt.toISOString(),
    extendedDueAt: iso(r.extendedDueAt),
    extensionReason: r.extensionReason,
    identityVerifiedAt: iso(r.identityVerifiedAt),
    closedAt: iso(r.closedAt),
    outcome: r.outcome,
    overdue: isOverdue(r, now),
    receipt: r.receiptJws,
  };
}

/** The staff queue adds who the request is about and how identity was checked. */
export function presentRequestForStaff(r: PrivacyRequest, now = new Date()) {
  return { ...presentRequest(r, now), contactId: r.contactId, subjectRef: r.subjectRef, identityMethod: r.identityMethod, handledById: r.handledById };
}
