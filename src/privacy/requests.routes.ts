/** The privacy officer's side: the request queue with deadlines, actions, phone/letter requests, subject export and processing choices. */
import { z } from 'zod';
import { IdParams, pageOf, uuid } from '../http/common-schemas';
import { notFound } from '../http/problem';
import type { PrivacyRequest } from '../generated/prisma/client';
import { defineRoute, staffOnly, type RouteContext } from '../http/route';
import { streamExport } from './export/stream-export';
import { CompleteBody, ContactIdParams, ExtendBody, LogRequestBody, ProcessingChoicesBody, RejectBody, RequestQueueQuery, RESTRICTION_GROUNDS, RestrictionExceptionBody, VerifyIdentityBody } from './privacy.schemas';
import { recordRestrictionException } from './restriction/record-restriction-exception';
import { permissionsFor } from './processing-permissions';
import { listRequests } from './requests/list-requests';
import { logRequest } from './requests/log-request';
import { presentRequestForStaff, StaffRequestView } from './requests/present-request';
import { SubjectExportView } from './self-service.routes';
import { completeRequest, extendRequest, rejectRequest, startRequest, verifyIdentity } from './requests/request-actions';
import { setProcessingChoices } from './requests/set-processing-choices';
import { SUBJECT_EXPORT_SCHEMA } from './export/export-schema';

const DPO = staffOnly('privacy_officer');

const ProcessingChoicesView = z.object({
  contactId: z.uuid(),
  restrictedAt: z.iso.datetime().nullable(),
  objections: z.object({ telemetry: z.iso.datetime().nullable(), directMarketing: z.iso.datetime().nullable(), fraudProfiling: z.iso.datetime().nullable() }),
  permissions: z.object({ telemetry: z.boolean(), fraudProfiling: z.boolean(), directMarketing: z.boolean(), licenceValidation: z.boolean() }),
});
const ActionParams = z.strictObject({ id: uuid() });

const RestrictionExceptionView = z.object({
  id: z.uuid(), ground: z.enum(RESTRICTION_GROUNDS), recordedAt: z.iso.datetime(), expiresAt: z.iso.datetime(),
});

/** An action on one request: POST …/actions/<name>, for the privacy officer, answering with the request as it now is. */
function requestAction<B extends z.ZodType = z.ZodUndefined>(
  action: { name: string; summary: string; body?: B },
  run: (ctx: RouteContext<z.infer<B>, unknown, z.infer<typeof ActionParams>>) => Promise<PrivacyRequest>,
) {
  return defineRoute<B, z.ZodType, typeof ActionParams>({
    method: 'post', path: `/v1/privacy/requests/:id/actions/${action.name}`, tag: 'privacy', access: DPO, params: ActionParams, body: action.body, summary: action.summary,
    response: { status: 200, description: 'the request as it now is', schema: StaffRequestView }, readsPersonalData: true, problems: ['CONFLICT'],
    async handler(ctx) { return { body: await presentRequestForStaff(ctx.services, await run(ctx), ctx.services.now()) }; },
  });
}

export const requestRoutes = [
  defineRoute({
    method: 'get', path: '/v1/privacy/requests', tag: 'privacy', access: DPO, query: RequestQueueQuery,
    response: { status: 200, description: 'a page of the queue; pass nextAfter as `after` for the next', schema: pageOf(StaffRequestView) }, readsPersonalData: true,
    summary: 'The request queue: filter by status (or "open"), type, overdue, due within N days',
    async handler({ services, query, staff, purpose, requestId }) {
      const rows = await listRequests(services, query);
      // Requests carry the subject's own words (reason, how identity was checked): each subject shown gets an entry.
      const subjects = [...new Set(rows.map((r) => r.contactId).filter((id): id is string => id !== null))];
      if (subjects.length > 0) {
        await services.prisma.$transaction(async (tx) => {
          for (const subjectId of subjects) {
            await services.audit.record({ actor: staff.actor, action: 'privacy_request.list', subjectId, resource: { type: 'contact', id: subjectId }, purpose, requestId }, tx);
          }
        });
      }
      const now = services.now();
      return { body: { items: await Promise.all(rows.map((r) => presentRequestForStaff(services, r, now))), nextAfter: rows.length === query.limit ? rows[rows.length - 1].id : null } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/requests', tag: 'privacy', access: DPO, body: LogRequestBody,
    response: { status: 201, description: 'the logged request, with its deadline', schema: StaffRequestView }, readsPersonalData: true,
    summary: 'Log a request received by phone, letter or e-mail, with how identity was checked',
    async handler({ services, body, staff, purpose, requestId }) {
      return { status: 201, body: await presentRequestForStaff(services, await logRequest(services, body, staff, purpose, requestId), services.now()) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/requests/:id', tag: 'privacy', access: DPO, params: IdParams, summary: 'One request',
    response: { status: 200, description: 'the request', schema: StaffRequestView }, readsPersonalData: true,
    async handler({ services, params, staff, purpose, requestId }) {
      const row = await services.prisma.privacyRequest.findUnique({ where: { id: params.id } });
      if (!row) throw notFound('request');
      await services.audit.record({ actor: staff.actor, action: 'privacy_request.read', subjectId: row.contactId, resource: { type: 'privacy_request', id: row.id }, purpose, requestId });
      return { body: await presentRequestForStaff(services, row, services.now()) };
    },
  }),
  requestAction({ name: 'verify-identity', body: VerifyIdentityBody, summary: 'Record how the requester’s identity was verified' },
    (ctx) => verifyIdentity(ctx, ctx.params.id, ctx.body.method)),
  requestAction({ name: 'start', summary: 'Start working on a verified request' },
    (ctx) => startRequest(ctx, ctx.params.id)),
  requestAction({ name: 'extend', body: ExtendBody, summary: 'Extend the deadline by 1 or 2 months, before the first deadline, with a reason e-mailed to the subject' },
    (ctx) => extendRequest(ctx, ctx.params.id, ctx.body.months, ctx.body.reason)),
  requestAction({ name: 'complete', body: CompleteBody, summary: 'Complete a request; for an erasure this erases (endRunningLicences: the decision to end running licences)' },
    (ctx) => completeRequest(ctx, ctx.params.id, ctx.body)),
  requestAction({ name: 'reject', body: RejectBody, summary: 'Reject a request with a reason e-mailed to the subject (with the complaint route)' },
    (ctx) => rejectRequest(ctx, ctx.params.id, ctx.body.reason)),
  defineRoute({
    method: 'get', path: '/v1/privacy/subjects/:contactId/export', tag: 'privacy', access: DPO, params: ContactIdParams,
    response: { status: 200, description: 'the export (Content-Disposition: attachment), format nomina.subject-export v1; JSON Schema at GET /v1/privacy/export-schema', schema: SubjectExportView, published: SUBJECT_EXPORT_SCHEMA }, readsPersonalData: true,
    summary: 'The full export of a subject, for a request received by phone or letter (audited with the purpose)',
    async handler({ services, params, staff, purpose, requestId, res }) {
      await streamExport(services, params.contactId, res, () => services.audit.record({ actor: staff.actor, action: 'subject.export', subjectId: params.contactId, resource: { type: 'contact', id: params.contactId }, purpose, requestId }));
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/subjects/:contactId/restriction-exceptions', tag: 'privacy', access: DPO, params: ContactIdParams, body: RestrictionExceptionBody,
    summary: 'Record an exception to a restriction (GDPR Art. 18(2)): ground, reason and end date; until then staff may process the person’s data again',
    response: { status: 201, description: 'the recorded exception', schema: RestrictionExceptionView }, readsPersonalData: true, problems: ['CONFLICT'],
    async handler({ services, params, body, staff, purpose, requestId }) {
      return { status: 201, body: await recordRestrictionException(services, params.contactId, body, { staffId: staff.id, purpose, requestId }) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/privacy/subjects/:contactId/processing', tag: 'privacy', access: DPO, params: ContactIdParams, body: ProcessingChoicesBody,
    response: { status: 200, description: 'the choices now in force and what they permit', schema: ProcessingChoicesView }, readsPersonalData: true,
    summary: 'Apply or lift a restriction or objections (lifting is the privacy officer’s decision)',
    async handler({ services, params, body, staff, purpose, requestId }) {
      const contact = await setProcessingChoices(services, params.contactId, body, { staffId: staff.id, purpose, requestId });
      return { body: { contactId: contact.id, restrictedAt: contact.restrictedAt, objections: { telemetry: contact.telemetryObjectedAt, directMarketing: contact.marketingObjectedAt, fraudProfiling: contact.profilingObjectedAt }, permissions: permissionsFor(contact) } };
    },
  }),
];
