/**
 * Presenters whitelist what an alert shows: the list carries no personal data (no evidence, no
 * reasons, no comments); one alert carries its evidence and comments in the view the reader may
 * see (full, or masked for support without a purpose).
 */
import type { FraudAlert, FraudAlertComment } from '../generated/prisma/client';
import type { Services } from '../services';
import type { View } from '../staff/personal-data-view';
import { maskEvidence, openEvidence } from './alert-evidence';
import { SIGNAL_EXPLANATIONS } from './signal-explanations';
import { openText } from '../crypto/sealed-text';

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

export async function presentAlert(services: Services, alert: FraudAlert & { comments: FraudAlertComment[] }, holderId: string, view: View) {
  const evidence = await openEvidence(services, holderId, alert.evidenceEnc);
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
