/**
 * Fraud data about one licence holder, for the privacy module (src/privacy/): what their export
 * shows (alerts, evidence, decisions and reasons, comments, contests — with each signal explained
 * in plain language) and what their erasure removes. Evidence about other people's licences (the
 * other side of a MAC collision) is never shown to the holder.
 */
import type { Tx } from '../audit/audit-trail';
import type { Services } from '../services';
import { evidenceForSubject, openEvidence } from './alert-evidence';
import { openComment } from './present-fraud-alert';
import { DECISION_EXPLANATIONS, SIGNAL_EXPLANATIONS } from './signal-explanations';

/** The Prisma models this module keeps subject data in (for the privacy stores' completeness test). */
export const FRAUD_SUBJECT_MODELS = ['FraudAlert', 'FraudAlertComment', 'FraudObservation'] as const;
/** The label evidence is sealed under with the holder's data key. */
export const FRAUD_EVIDENCE_LABEL = 'fraud_alert.evidence';

async function licenceIdsOf(services: Services, contactId: string, licenceIds?: string[]): Promise<string[]> {
  if (licenceIds) return licenceIds;
  const rows = await services.prisma.licence.findMany({ where: { holderId: contactId }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function listSubjectFraudAlerts(services: Services, contactId: string, licenceIds?: string[]) {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  if (ids.length === 0) return [];
  const [alerts, contests] = await Promise.all([
    services.prisma.fraudAlert.findMany({ where: { licenceId: { in: ids } }, include: { comments: { orderBy: { at: 'asc' } } }, orderBy: { openedAt: 'asc' } }),
    services.prisma.privacyRequest.findMany({ where: { contactId, fraudAlertId: { not: null } }, select: { id: true, fraudAlertId: true, status: true, receivedAt: true, dueAt: true, outcome: true } }),
  ]);
  return Promise.all(alerts.map(async (a) => {
    const evidence = await openEvidence(services, services.prisma, contactId, a.evidenceEnc);
    return {
      id: a.id,
      licenceId: a.licenceId,
      signal: a.signal,
      explanation: SIGNAL_EXPLANATIONS[a.signal],
      severity: a.severity,
      status: a.status,
      statusExplanation: DECISION_EXPLANATIONS[a.status],
      openedAt: a.openedAt.toISOString(),
      lastEvidenceAt: a.lastEvidenceAt.toISOString(),
      evidence: evidence && evidenceForSubject(evidence),
      decision: a.decidedAt ? { at: a.decidedAt.toISOString(), byStaffId: a.decidedById, reason: a.decisionReason, licenceSuspended: a.suspended } : null,
      comments: await Promise.all(a.comments.map(async (c) => ({ at: c.at.toISOString(), staffId: c.staffId, body: await openComment(services, contactId, c.body) }))),
      contests: contests.filter((r) => r.fraudAlertId === a.id).map((r) => ({
        requestId: r.id, status: r.status, receivedAt: r.receivedAt.toISOString(), dueAt: r.dueAt.toISOString(), outcome: r.outcome,
      })),
    };
  }));
}

/**
 * Erases the holder's fraud data: alerts (with their comments) and the rolling observations of
 * their licences. Idempotent; inside the caller's transaction when `tx` is given.
 */
export async function eraseSubjectFraudEvidence(services: Services, contactId: string, options: { tx?: Tx; licenceIds?: string[] } = {}) {
  const ids = await licenceIdsOf(services, contactId, options.licenceIds);
  const run = async (tx: Tx) => {
    const comments = await tx.fraudAlertComment.deleteMany({ where: { alert: { licenceId: { in: ids } } } });
    const alerts = await tx.fraudAlert.deleteMany({ where: { licenceId: { in: ids } } });
    const observations = await tx.fraudObservation.deleteMany({ where: { licenceId: { in: ids } } });
    return { alerts: alerts.count, comments: comments.count, observations: observations.count, total: alerts.count + comments.count + observations.count };
  };
  return options.tx ? run(options.tx) : services.prisma.$transaction(run);
}

/** What is left of the holder's fraud data: 0 after a successful erasure. */
export async function countSubjectFraudData(services: Services, contactId: string, licenceIds?: string[]): Promise<number> {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  const [alerts, comments, observations] = await Promise.all([
    services.prisma.fraudAlert.count({ where: { licenceId: { in: ids } } }),
    services.prisma.fraudAlertComment.count({ where: { alert: { licenceId: { in: ids } } } }),
    services.prisma.fraudObservation.count({ where: { licenceId: { in: ids } } }),
  ]);
  return alerts + comments + observations;
}
