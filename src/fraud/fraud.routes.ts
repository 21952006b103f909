import { z } from 'zod';
import { IdParams, page, pageOf } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { commentOnFraudAlert } from './comment-on-fraud-alert';
import { contestFraudAlert } from './contest-fraud-alert';
import { decideFraudAlert } from './decide-fraud-alert';
import { AlertListQuery, CommentBody, ContestBody, DecisionBody } from './fraud.schemas';
import { listFraudAlerts } from './list-fraud-alerts';
import { AlertSummaryView, AlertView, CommentView, DecisionView, presentAlertSummary } from './present-fraud-alert';
import { readFraudAlert } from './read-fraud-alert';

const ContestView = z.object({
  id: z.uuid(), type: z.literal('objection'), status: z.enum(['received', 'identity_verified', 'in_progress', 'completed', 'rejected']),
  fraudAlertId: z.uuid().nullable(), receivedAt: z.iso.datetime(), dueAt: z.iso.datetime(),
});

/** Support takes alerts up and comments; only a privacy officer or an admin concludes them (checked in decideFraudAlert). */
const FRAUD_STAFF = ['support', 'privacy_officer', 'admin'] as const;

export const fraudRoutes = [
  defineRoute({
    method: 'get', path: '/v1/fraud/alerts', tag: 'fraud', access: staffOnly(...FRAUD_STAFF), query: AlertListQuery,
    response: { status: 200, description: 'a page of alert summaries (no personal data)', schema: pageOf(AlertSummaryView) },
    summary: 'The fraud alert queue, filtered by status, severity, signal, customer or licence (summaries, no evidence)',
    async handler({ services, query }) {
      return { body: page(await listFraudAlerts(services, query), query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/fraud/alerts/:id', tag: 'fraud', access: staffOnly(...FRAUD_STAFF), params: IdParams,
    response: { status: 200, description: 'the alert with explanation, evidence and comments', schema: AlertView }, readsPersonalData: true,
    summary: 'One alert with its explanation, evidence and comments (an audited read; support sees evidence masked unless it sends X-Purpose)',
    async handler({ services, params, staff, purpose, requestId }) {
      return { body: await readFraudAlert(services, params.id, staff, { purpose, requestId }) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/fraud/alerts/:id/decision', tag: 'fraud', access: staffOnly(...FRAUD_STAFF), params: IdParams, body: DecisionBody,
    response: { status: 200, description: 'the alert as decided, and the licence status if it changed', schema: DecisionView }, readsPersonalData: true, problems: ['CONFLICT'],
    summary: 'Take an alert under review (support too), or confirm or dismiss it with a reason (privacy officer, admin); confirming may suspend the licence in the same audited action',
    async handler({ services, params, body, staff, purpose, requestId }) {
      const { alert, licenceChange } = await decideFraudAlert(services, params.id, body, staff, { purpose, requestId });
      return { body: { ...presentAlertSummary(alert), licenceStatus: licenceChange?.to ?? null } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/fraud/alerts/:id/comments', tag: 'fraud', access: staffOnly(...FRAUD_STAFF), params: IdParams, body: CommentBody,
    response: { status: 201, description: 'the comment', schema: CommentView }, readsPersonalData: true,
    summary: 'Add a staff comment to an alert (sealed with the holder\u2019s data key; audited without its text)',
    async handler({ services, params, body, staff, purpose, requestId }) {
      return { status: 201, body: await commentOnFraudAlert(services, params.id, body.body, staff, { purpose, requestId }) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/privacy/me/fraud-alerts/:id/contest', tag: 'privacy', access: { kind: 'subject' }, params: IdParams, body: ContestBody,
    response: { status: 201, description: 'the objection request (200 with the same request when already contested)', schema: ContestView },
    summary: 'Contest a fraud alert about me: opens an objection request, linked to the alert, that a person answers within one month',
    async handler({ services, params, body, subject }) {
      const { request, created } = await contestFraudAlert(services, subject.contactId, params.id, body.reason);
      return {
        status: created ? 201 : 200,
        body: { id: request.id, type: request.type, status: request.status, fraudAlertId: request.fraudAlertId, receivedAt: request.receivedAt.toISOString(), dueAt: request.dueAt.toISOString() },
      };
    },
  }),
];
