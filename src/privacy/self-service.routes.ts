/** The licence holder's own API (DESIGN §12 "Licence holders"): verification, session, then self-service. */
import { presentContact } from '../contacts/present-contact';
import { AppError, notFound } from '../http/problem';
import { defineRoute, publicAccess } from '../http/route';
import { streamExport } from './export/stream-export';
import { RectifyBody, SessionBody, SubjectRequestBody, VerificationBody } from './privacy.schemas';
import { presentRequest } from './requests/present-request';
import { rectifyContact } from './requests/rectify-contact';
import { submitSubjectRequest } from './requests/submit-subject-request';
import { createSubjectSession } from './verification/create-subject-session';
import { CODE_TTL_MS, requestVerification } from './verification/request-verification';

const subjectAccess = { kind: 'subject' } as const;

export const selfServiceRoutes = [
  defineRoute({
    method: 'post', path: '/v1/privacy/verification', tag: 'privacy', access: publicAccess, body: VerificationBody,
    summary: 'Send a one-time code to an e-mail address on record (same answer whether or not it is known)',
    response: { status: 202, description: 'accepted; a code was sent if the address is on record' },
    async handler({ services, body, req }) {
      await requestVerification(services, body.email, req.ip ?? 'unknown');
      return { status: 202, body: { status: 'accepted', detail: 'If this address is on record, a code has been sent to it.', expiresInSeconds: CODE_TTL_MS / 1000 } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/sessions', tag: 'privacy', access: publicAccess, body: SessionBody,
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
    summary: 'Download everything about me (JSON, format nomina.subject-export v1), streamed',
    async handler({ services, subject, res }) {
      await services.audit.record({ actor: { type: 'subject', id: subject.contactId }, action: 'subject.export', subjectId: subject.contactId, resource: { type: 'contact', id: subject.contactId } });
      await streamExport(services, subject.contactId, res);
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me', tag: 'privacy', access: subjectAccess, summary: 'My contact data',
    async handler({ services, subject }) {
      const contact = await services.prisma.contact.findUnique({ where: { id: subject.contactId } });
      if (!contact) throw notFound('subject');
      return { body: await presentContact(services, contact, 'full') };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/privacy/me', tag: 'privacy', access: subjectAccess, body: RectifyBody,
    summary: 'Correct my contact data (rectification, audited with field names only)',
    async handler({ services, subject, body }) {
      return { body: await presentContact(services, await rectifyContact(services, subject.contactId, body), 'full') };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/requests', tag: 'privacy', access: subjectAccess, body: SubjectRequestBody,
    summary: 'Make a request: access, portability, rectification, erasure, restriction, objection',
    response: { status: 201, description: 'the request, with its deadline' },
    async handler({ services, subject, body }) {
      const exists = await services.prisma.contact.count({ where: { id: subject.contactId } });
      if (!exists) throw notFound('subject');
      const request = await submitSubjectRequest(services, subject.contactId, body);
      return { status: 201, body: await presentRequest(services, request, services.now()) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/privacy/me/requests', tag: 'privacy', access: subjectAccess, summary: 'My requests and their status',
    async handler({ services, subject }) {
      const rows = await services.prisma.privacyRequest.findMany({ where: { subjectRef: subject.contactId }, orderBy: { receivedAt: 'desc' }, take: 200 });
      const now = services.now();
      return { body: { items: await Promise.all(rows.map((r) => presentRequest(services, r, now))) } };
    },
  }),
];
