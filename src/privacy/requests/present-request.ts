import { openText } from '../../crypto/sealed-text';
import type { PrivacyRequest } from '../../generated/prisma/client';
import type { Services } from '../../services';
import { effectiveDueAt, isOverdue } from '../deadlines';
import { iso } from '../subject-data';

/** A request for the subject and for staff: no free-text identity notes (those go to the export only). */
export async function presentRequest(services: Services, r: PrivacyRequest, now = new Date()) {
  const open = (field: Parameters<typeof openText>[2], stored: string | null) => openText(services, r.contactId, field, stored);
  return {
    id: r.id,
    type: r.type,
    scope: r.scope,
    reason: await open('privacy_request.reason', r.reason),
    channel: r.channel,
    status: r.status,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: effectiveDueAt(r).toISOString(),
    originalDueAt: r.dueAt.toISOString(),
    extendedDueAt: iso(r.extendedDueAt),
    extensionReason: await open('privacy_request.extension_reason', r.extensionReason),
    identityVerifiedAt: iso(r.identityVerifiedAt),
    closedAt: iso(r.closedAt),
    outcome: await open('privacy_request.outcome', r.outcome),
    overdue: isOverdue(r, now),
    receipt: r.receiptJws,
  };
}

/** How identity was checked: staff and the subject's own export only. */
export function identityMethodOf(services: Services, r: PrivacyRequest) {
  return openText(services, r.contactId, 'privacy_request.identity_method', r.identityMethod);
}

/** The staff queue adds who the request is about and how identity was checked. */
export async function presentRequestForStaff(services: Services, r: PrivacyRequest, now = new Date()) {
  return { ...(await presentRequest(services, r, now)), contactId: r.contactId, subjectRef: r.subjectRef, identityMethod: await identityMethodOf(services, r), handledById: r.handledById };
}
