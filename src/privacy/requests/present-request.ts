import { openText } from '../../crypto/sealed-text';
import type { PrivacyRequest } from '../../generated/prisma/client';
import type { Services } from '../../services';
import { effectiveDueAt, isOverdue } from '../deadlines';
import { iso } from '../subject-data';
import { z } from 'zod';
import { Instant } from '../../http/common-schemas';

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

export const RequestTypeSchema = z.enum(['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection']);

export const RequestView = z.object({
  id: z.uuid(),
  type: RequestTypeSchema,
  scope: z.array(z.string()),
  reason: z.string().nullable(),
  channel: z.enum(['self_service', 'email', 'phone', 'letter']),
  status: z.enum(['received', 'identity_verified', 'in_progress', 'completed', 'rejected']),
  receivedAt: Instant,
  dueAt: Instant.describe('the deadline in force (the extended one after an extension)'),
  originalDueAt: Instant,
  extendedDueAt: Instant.nullable(),
  extensionReason: z.string().nullable(),
  identityVerifiedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  outcome: z.string().nullable(),
  overdue: z.boolean(),
  receipt: z.string().nullable().describe('the signed receipt (JWS) once closed'),
});

export const StaffRequestView = RequestView.extend({
  contactId: z.uuid().nullable(), subjectRef: z.string().nullable(), identityMethod: z.string().nullable(), handledById: z.string().nullable(),
});

export const REQUEST_EXAMPLE = {
  id: '4b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d', type: 'erasure', scope: [], reason: null, channel: 'self_service', status: 'identity_verified',
  receivedAt: '2026-12-01T09:00:00.000Z', dueAt: '2026-12-31T09:00:00.000Z', originalDueAt: '2026-12-31T09:00:00.000Z', extendedDueAt: null,
  extensionReason: null, identityVerifiedAt: '2026-12-01T09:00:00.000Z', closedAt: null, outcome: null, overdue: false, receipt: null,
};
