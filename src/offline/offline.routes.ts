/**
 * Air-gapped activation (docs/offline-activation.md §5), by three roads: the licence holder on the
 * privacy page (own licences only), support and admin in the console (with a reason), and an API
 * key with the scope `offline:activate` (the vendor's portal). Each road runs the same use cases.
 */
import { AppError } from '../http/problem';
import { defineRoute, orApiKey, staffOnly, type StaffPrincipal } from '../http/route';
import { assertProcessingAllowed } from '../privacy/restriction/processing-restriction';
import type { Services } from '../services';
import { activateOffline } from './activate-offline';
import {
  HolderActivationBody, HolderReleaseFileBody, LICENCE_FILE_EXAMPLE, LicenceFileView, RELEASE_EXAMPLE, RELEASED_EXAMPLE, ReleasedView,
  REQUEST_EXAMPLE, StaffActivationBody, StaffReleaseFileBody,
} from './offline.schemas';
import { releaseOffline } from './release-offline';

const staffAccess = orApiKey(staffOnly('support', 'admin'), 'offline:activate');
const subjectAccess = { kind: 'subject' } as const;

const ACTIVATION_PROBLEMS = ['UNPROCESSABLE', 'OFFLINE_NOT_ALLOWED', 'REQUEST_TOO_OLD', 'LICENCE_NOT_USABLE'] as const;
const RELEASE_PROBLEMS = ['NOT_FOUND', 'RELEASE_INVALID', 'RELEASE_ALREADY_USED', 'TRANSFER_BUDGET_EXHAUSTED'] as const;
const REFUSALS = '422 with `code` = the validation code (NOT_FOUND, EXPIRED, SUSPENDED, REVOKED, PRODUCT_MISMATCH, USER_MISMATCH, TOO_MANY_MACHINES, …), OFFLINE_NOT_ALLOWED or REQUEST_TOO_OLD';

/** Staff state why (sealed into the audit entry like a purpose); a key acts for the vendor's portal, which keeps its own reasons. */
function staffReason(staff: StaffPrincipal, reason: string | undefined): string | null {
  if (staff.kind === 'staff' && !reason) {
    throw new AppError('VALIDATION_FAILED', '/reason: staff state a reason (8–500 characters, e.g. "ticket SUP-1234: air-gapped PC")', { errors: [{ pointer: '/reason', detail: 'required for staff' }] });
  }
  return reason ?? null;
}

const restrictionCheck = (services: Services, staff: StaffPrincipal) => (holderId: string) => assertProcessingAllowed(services, services.prisma, staff, holderId, 'change');
const releasedBy = (staff: StaffPrincipal) => (staff.kind === 'api_key' ? `api_key:${staff.id}` as const : `staff:${staff.id}` as const);

export const offlineRoutes = [
  defineRoute({
    method: 'post', path: '/v1/offline-activations', tag: 'offline', access: staffAccess, body: StaffActivationBody,
    response: { status: 201, description: 'the licence file, to carry to the offline PC', schema: LicenceFileView, example: LICENCE_FILE_EXAMPLE },
    example: { request: REQUEST_EXAMPLE, reason: 'ticket SUP-1234: air-gapped PC at the lab' },
    problems: [...ACTIVATION_PROBLEMS, 'PROCESSING_RESTRICTED'], bodyLimit: '64kb',
    summary: `Turn an activation request (JSON or its text form) into a licence file; the checks of /v1/validate, under the licence's lock. Refusals: ${REFUSALS}`,
    async handler({ services, body, staff, requestId }) {
      const reason = staffReason(staff, body.reason);
      const file = await activateOffline(services, body.request, { actor: staff.actor, reason, requestId, beforeActivation: restrictionCheck(services, staff) });
      return { status: 201, body: file };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/offline-releases', tag: 'offline', access: staffAccess, body: StaffReleaseFileBody,
    response: { status: 200, description: 'the seat is free', schema: ReleasedView, example: RELEASED_EXAMPLE },
    example: { ...RELEASE_EXAMPLE, reason: 'ticket SUP-1234: PC moved to another user' },
    problems: [...RELEASE_PROBLEMS, 'PROCESSING_RESTRICTED'],
    summary: "Accept a release file signed by the offline PC's device key: frees its seat once, within the transfer budget (409 RELEASE_ALREADY_USED when replayed)",
    async handler({ services, body, staff, requestId }) {
      const reason = staffReason(staff, body.reason);
      return { body: await releaseOffline(services, body.release, { actor: staff.actor, by: releasedBy(staff), reason, requestId, beforeRelease: restrictionCheck(services, staff) }) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/offline-activations', tag: 'privacy', access: subjectAccess, body: HolderActivationBody,
    response: { status: 201, description: 'the licence file, to carry to the offline PC', schema: LicenceFileView, example: LICENCE_FILE_EXAMPLE },
    example: { request: REQUEST_EXAMPLE }, problems: ACTIVATION_PROBLEMS, bodyLimit: '64kb',
    summary: `Activate a PC without network on one of my licences: the request file in, the licence file out (another holder's key: 404). Refusals: ${REFUSALS}`,
    async handler({ services, body, subject, requestId }) {
      const actor = { type: 'subject' as const, id: subject.contactId };
      return { status: 201, body: await activateOffline(services, body.request, { actor, holderId: subject.contactId, requestId }) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/offline-releases', tag: 'privacy', access: subjectAccess, body: HolderReleaseFileBody,
    response: { status: 200, description: 'the seat is free', schema: ReleasedView, example: RELEASED_EXAMPLE },
    example: RELEASE_EXAMPLE, problems: RELEASE_PROBLEMS,
    summary: "Free the seat of one of my offline PCs with the release file it wrote, within the licence's transfer budget",
    async handler({ services, body, subject, requestId }) {
      const actor = { type: 'subject' as const, id: subject.contactId };
      return { body: await releaseOffline(services, body.release, { actor, by: 'subject', holderId: subject.contactId, requestId }) };
    },
  }),
];
