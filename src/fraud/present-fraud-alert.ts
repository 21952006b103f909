/**
 * Presenters whitelist what an alert shows: the list carries no personal data (no evidence, no
 * reasons, no comments); one alert carries its evidence and comments in the view the reader may
 * see (full, or masked for support without a purpose).
 */
import type { FraudAlert, FraudAlertComment, FraudAlertEvidence } from '../generated/prisma/client';
import type { Services } from '../services';
import type { View } from '../staff/personal-data-view';
import { maskEvidence, readAlertEvidence } from './alert-evidence';
import { SIGNAL_EXPLANATIONS } from './signal-explanations';
import { openText } from '../crypto/sealed-text';
import { z } from 'zod';
import { Instant } from '../http/common-schemas';

const COMMENT_FIELD = 'fraud_alert.comment';

export function presentAlertSummary(alert: FraudAlert) {
  return {
    id: alert.id,
    licenceId: alert.licenceId,
    customerId: alert.customerId,
    signal: alert.signal,
    title: SIGNAL_EXPLANATIONS[alert.signal].title,
    severity: alert.severity,
    status: alert.status,
    openedAt: alert.openedAt.toISOString(),
    lastEvidenceAt: alert.lastEvidenceAt.toISOString(),
    decidedAt: alert.decidedAt?.toISOString() ?? null,
    suspended: alert.suspended,
  };
}

export async function sealComment(services: Services, holderId: string, body: string): Promise<string> {
  return services.subjects.encrypt(holderId, COMMENT_FIELD, body);
}

/** A comment's text, or null when its holder was erased. */
export async function openComment(services: Services, holderId: string, sealed: string): Promise<string | null> {
  const key = await services.subjects.loadKey(holderId);
  return key ? services.subjects.decryptWith(key, holderId, COMMENT_FIELD, sealed) : null;
}

export function presentComment(comment: FraudAlertComment, body: string | null, view: View) {
  return { id: comment.id, staffId: comment.staffId, at: comment.at.toISOString(), body: view === 'full' ? body : body === null ? null : '•••' };
}

export async function presentAlert(services: Services, alert: FraudAlert & { comments: FraudAlertComment[]; evidence: Pick<FraudAlertEvidence, 'at' | 'entryEnc'>[] }, holderId: string, view: View) {
  const evidence = await readAlertEvidence(services, holderId, alert);
  const comments = await Promise.all(alert.comments.map(async (c) => presentComment(c, await openComment(services, holderId, c.body), view)));
  return {
    ...presentAlertSummary(alert),
    explanation: SIGNAL_EXPLANATIONS[alert.signal],
    evidence: evidence && (view === 'full' ? evidence : maskEvidence(evidence)),
    evidenceErased: evidence === null,
    decision: alert.decidedAt ? { decidedById: alert.decidedById, reason: view === 'full' ? await openText(services, holderId, 'fraud_alert.decision_reason', alert.decisionReason) : '•••' } : null,
    comments,
    view,
  };
}

export const AlertSummaryView = z.object({
  id: z.uuid(), licenceId: z.uuid(), customerId: z.uuid(),
  signal: z.enum(['device_fanout', 'account_fanout', 'churn', 'mac_collision', 'overlap', 'clock_drift']),
  title: z.string(),
  severity: z.enum(['low', 'medium', 'high']),
  status: z.enum(['open', 'under_review', 'confirmed', 'dismissed']),
  openedAt: Instant, lastEvidenceAt: Instant, decidedAt: Instant.nullable(),
  suspended: z.boolean(),
});

export const CommentView = z.object({ id: z.uuid(), staffId: z.uuid(), at: Instant, body: z.string().nullable() });

export const AlertView = AlertSummaryView.extend({
  explanation: z.object({ title: z.string(), what: z.string(), why: z.string(), innocentCauses: z.string() }),
  evidence: z.unknown().describe('the signal\u2019s evidence (devices, accounts, times); masked for support without X-Purpose; null once erased'),
  evidenceErased: z.boolean(),
  decision: z.object({ decidedById: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  comments: z.array(CommentView),
  view: z.enum(['full', 'masked']),
});

export const DecisionView = AlertSummaryView.extend({ licenceStatus: z.enum(['active', 'suspended', 'revoked']).nullable() });
