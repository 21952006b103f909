/** The licence holder's own API (docs/public-contract.md, "Licence holders"): verification, session, then self-service. */
import { z } from 'zod';
import { ContactView, presentContact } from '../contacts/present-contact';
import { listOf } from '../http/common-schemas';
import { SessionView } from '../staff/staff.schemas';
import { releaseOwnDevice } from '../devices/release-own-device';
import { AppError, notFound } from '../http/problem';
import { defineRoute, publicAccess } from '../http/route';
import { ACCESS_LOG_LIMIT, readAccessLog } from './access-log/read-access-log';
import { collectExport } from './export/collect-export';
import { renderExportHtml } from './export/render-export-html';
import { streamExport } from './export/stream-export';
import { RectifyBody, SessionBody, SubjectRequestBody, VerificationBody } from './privacy.schemas';
import { presentRequest, REQUEST_EXAMPLE, RequestView } from './requests/present-request';
import { rectifyContact } from './requests/rectify-contact';
import { submitSubjectRequest } from './requests/submit-subject-request';
import { createSubjectSession } from './verification/create-subject-session';
import { CODE_TTL_MS, requestVerification } from './verification/request-verification';
import { SUBJECT_EXPORT_SCHEMA } from './export/export-schema';

const subjectAccess = { kind: 'subject' } as const;

const VerificationAccepted = z.object({ status: z.literal('accepted'), detail: z.string(), expiresInSeconds: z.number().int() });

const SubjectSessionsView = SessionView.extend({
  contactId: z.uuid(),
  sessions: z.array(z.object({ contactId: z.uuid(), organisation: z.string(), token: z.string(), expiresAt: z.iso.datetime() })),
});

const SESSIONS_EXAMPLE = {
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzZjJhIn0.c2lnbmF0dXJl', expiresAt: '2026-12-01T09:15:00.000Z', contactId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  sessions: [{ contactId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', organisation: 'Contoso NV', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzZjJhIn0.c2lnbmF0dXJl', expiresAt: '2026-12-01T09:15:00.000Z' }],
};

/** The top of the export (src/privacy/export/export-format.md describes every store). */
export const SubjectExportView = z.object({
  format: z.literal('nomina.subject-export'),
  version: z.literal(1),
  generatedAt: z.iso.datetime(),
  subject: z.object({ contactId: z.uuid() }),
  howWeUseYourData: z.record(z.string(), z.unknown()),
  data: z.record(z.string(), z.object({ category: z.string(), items: z.array(z.unknown()), count: z.number().int() })),
});

const ExportHtmlQuery = z.strictObject({ lang: z.enum(['en', 'nl']).default('en') });
const DeviceParams = z.strictObject({ deviceId: z.uuid() });
const Label = z.object({ en: z.string(), nl: z.string() });
const AccessLogResponse = z.object({
  items: z.array(z.object({
    at: z.string(),
    who: z.object({ type: z.enum(['staff', 'subject', 'system', 'licence', 'api_key']), roles: z.array(z.string()), label: Label }),
    action: z.string(), what: Label, purpose: z.string().nullable(),
  })),
});
const ReleasedDevice = z.object({ id: z.string(), releasedAt: z.string().nullable() });

export const selfServiceRoutes = [
  defineRoute({
    method: 'post', path: '/v1/privacy/verification', tag: 'privacy', access: publicAccess, body: VerificationBody,
    response: { status: 202, description: 'accepted; a code was sent if the address is on record', schema: VerificationAccepted, example: { status: 'accepted', detail: 'If this address is on record, a code has been sent to it.', expiresInSeconds: 600 } },
    example: { email: 'jan.peeters@contoso.example' }, rateLimited: true,
    summary: 'Send a one-time code to an e-mail address on record (same answer whether or not it is known)',
    async handler({ services, body, req }) {
      await requestVerification(services, body.email, req.ip ?? 'unknown');
      return { status: 202, body: { status: 'accepted', detail: 'If this address is on record, a code has been sent to it.', expiresInSeconds: CODE_TTL_MS / 1000 } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/sessions', tag: 'privacy', access: publicAccess, body: SessionBody,
    response: { status: 200, description: 'subject sessions: `token` for the first contact, `sessions` for every contact with this address', schema: SubjectSessionsView, example: SESSIONS_EXAMPLE },
    example: { email: 'jan.peeters@contoso.example', code: '483920' }, rateLimited: true, problems: ['INVALID_CODE'],
    summary: 'Exchange the code for a 15-minute subject session (one per contact with this address)',
    async handler({ services, body, req }) {
      const sessions = await createSubjectSession(services, body.email, body.code, req.ip ?? 'unknown');
      if (!sessions) throw new AppError('INVALID_CODE', 'the code is wrong, expired, already used or out of attempts; ask for a new one');
      const [first] = sessions;
      return { body: { token: first.token, expiresAt: first.expiresAt, contactId: first.contactId, sessions } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me/export', tag: 'privacy', access: subjectAccess,
    response: { status: 200, description: 'the export (Content-Disposition: attachment), format nomina.subject-export v1; JSON Schema at GET /v1/privacy/export-schema', schema: SubjectExportView, published: SUBJECT_EXPORT_SCHEMA },
    summary: 'Download everything about me (JSON, format nomina.subject-export v1, JSON Schema at GET /v1/privacy/export-schema), streamed',
    async handler({ services, subject, res }) {
      await streamExport(services, subject.contactId, res, () => services.audit.record({ actor: { type: 'subject', id: subject.contactId }, action: 'subject.export', subjectId: subject.contactId, resource: { type: 'contact', id: subject.contactId } }));
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me/export.html', tag: 'privacy', access: subjectAccess, query: ExportHtmlQuery,
    response: { status: 200, description: 'the readable document (Content-Disposition: attachment), self-contained HTML', contentType: 'text/html', schema: z.string() },
    summary: 'Download everything about me as a readable document (HTML that prints well), same content as the JSON export; ?lang=en|nl',
    async handler({ services, subject, query, res }) {
      // Collected first: an erased or unknown subject is a 404 before anything is recorded as an export.
      const document = await collectExport(services, subject.contactId);
      await services.audit.record({ actor: { type: 'subject', id: subject.contactId }, action: 'subject.export', subjectId: subject.contactId, resource: { type: 'contact', id: subject.contactId }, details: { format: 'html' } });
      const html = renderExportHtml(document, await readAccessLog(services, subject.contactId), query.lang);
      res.status(200).type('text/html; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="nomina-export-${services.now().toISOString().slice(0, 10)}.html"`)
        .setHeader('Cache-Control', 'no-store')
        .send(html);
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me/access-log', tag: 'privacy', access: subjectAccess,
    summary: `Who used my data, when and why: by staff role and in words (English and Dutch), newest first, at most ${ACCESS_LOG_LIMIT}`,
    response: { status: 200, description: 'the readable access log', schema: AccessLogResponse },
    async handler({ services, subject }) {
      return { body: { items: await readAccessLog(services, subject.contactId) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/devices/:deviceId/release', tag: 'privacy', access: subjectAccess, params: DeviceParams,
    summary: "Release one of my computers from my licence, within the licence's transfer budget (409 TRANSFER_BUDGET_EXHAUSTED beyond it; 409 OFFLINE_RELEASE_NEEDS_FILE for a PC whose licence file still runs)",
    response: { status: 200, description: 'released (or already released)', schema: ReleasedDevice }, problems: ['TRANSFER_BUDGET_EXHAUSTED', 'OFFLINE_RELEASE_NEEDS_FILE'],
    async handler({ services, subject, params, requestId }) {
      return { body: await releaseOwnDevice(services, subject.contactId, params.deviceId, requestId) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me', tag: 'privacy', access: subjectAccess, summary: 'My contact data',
    response: { status: 200, description: 'my contact data', schema: ContactView },
    async handler({ services, subject }) {
      const contact = await services.prisma.contact.findUnique({ where: { id: subject.contactId } });
      if (!contact) throw notFound('subject');
      return { body: await presentContact(services, contact, 'full') };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/privacy/me', tag: 'privacy', access: subjectAccess, body: RectifyBody,
    response: { status: 200, description: 'my corrected contact data', schema: ContactView },
    summary: 'Correct my contact data (rectification, audited with field names only)',
    async handler({ services, subject, body }) {
      return { body: await presentContact(services, await rectifyContact(services, subject.contactId, body), 'full') };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/requests', tag: 'privacy', access: subjectAccess, body: SubjectRequestBody,
    response: { status: 201, description: 'the request, with its deadline', schema: RequestView, example: REQUEST_EXAMPLE },
    example: { type: 'objection', scope: ['telemetry'], reason: 'I do not want my usage measured' },
    summary: 'Make a request: access, portability, rectification, erasure, restriction, objection',
    async handler({ services, subject, body }) {
      const exists = await services.prisma.contact.count({ where: { id: subject.contactId } });
      if (!exists) throw notFound('subject');
      const request = await submitSubjectRequest(services, subject.contactId, body);
      return { status: 201, body: await presentRequest(services, request, services.now()) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me/requests', tag: 'privacy', access: subjectAccess, summary: 'My requests and their status',
    response: { status: 200, description: 'my requests, newest first', schema: listOf(RequestView) },
    async handler({ services, subject }) {
      const rows = await services.prisma.privacyRequest.findMany({ where: { subjectRef: subject.contactId }, orderBy: { receivedAt: 'desc' }, take: 200 });
      const now = services.now();
      return { body: { items: await Promise.all(rows.map((r) => presentRequest(services, r, now))) } };
    },
  }),
];
