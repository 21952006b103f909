/**
 * Fraud data about one licence holder, for the privacy module (src/privacy/): what their export
 * shows (alerts, evidence, decisions and reasons, comments, contests — with each signal explained
 * in plain language) and what their erasure removes. Evidence about other people's licences (the
 * other side of a MAC collision) is never shown to the holder.
 */
import type { Tx } from '../audit/audit-trail';
import { fromArray, type SubjectDataStore } from '../privacy/subject-data';
import type { Services } from '../services';
import { EVIDENCE_ENTRIES, evidenceForSubject, readAlertEvidence } from './alert-evidence';
import { openComment } from './present-fraud-alert';
import { DECISION_EXPLANATIONS, SIGNAL_EXPLANATIONS } from './signal-explanations';
import { openText } from '../crypto/sealed-text';

async function licenceIdsOf(services: Services, contactId: string, licenceIds?: string[]): Promise<string[]> {
  if (licenceIds) return licenceIds;
  const rows = await services.prisma.licence.findMany({ where: { holderId: contactId }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function listSubjectFraudAlerts(services: Services, contactId: string, licenceIds?: string[]) {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  if (ids.length === 0) return [];
  const [alerts, contests] = await Promise.all([
    services.prisma.fraudAlert.findMany({ where: { licenceId: { in: ids } }, include: { comments: { orderBy: { at: 'asc' } }, evidence: EVIDENCE_ENTRIES }, orderBy: { openedAt: 'asc' } }),
    services.prisma.privacyRequest.findMany({ where: { contactId, fraudAlertId: { not: null } }, select: { id: true, fraudAlertId: true, status: true, receivedAt: true, dueAt: true, outcome: true } }),
  ]);
  const openedOutcomes = new Map(await Promise.all(contests.map(async (r) => [r.id, await openText(services, contactId, 'privacy_request.outcome', r.outcome)] as const)));
  return Promise.all(alerts.map(async (a) => {
    const evidence = await readAlertEvidence(services, contactId, a);
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
      decision: a.decidedAt ? { at: a.decidedAt.toISOString(), byStaffId: a.decidedById, reason: await openText(services, contactId, 'fraud_alert.decision_reason', a.decisionReason), licenceSuspended: a.suspended } : null,
      comments: await Promise.all(a.comments.map(async (c) => ({ at: c.at.toISOString(), staffId: c.staffId, body: await openComment(services, contactId, c.body) }))),
      contests: contests.filter((r) => r.fraudAlertId === a.id).map((r) => ({
        requestId: r.id, status: r.status, receivedAt: r.receivedAt.toISOString(), dueAt: r.dueAt.toISOString(), outcome: openedOutcomes.get(r.id) ?? null,
      })),
    };
  }));
}

/** The rolling observations of the holder's licences (values are keyed blind indexes, so only their reference is shown). */
export async function listSubjectFraudObservations(services: Services, contactId: string, licenceIds?: string[]) {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  if (ids.length === 0) return [];
  const rows = await services.prisma.fraudObservation.findMany({ where: { licenceId: { in: ids } }, orderBy: { firstAt: 'asc' } });
  return rows.map((o) => ({ licenceId: o.licenceId, kind: o.kind, ref: o.ref, firstAt: o.firstAt.toISOString(), lastAt: o.lastAt.toISOString(), count: o.count }));
}

type EraseOptions = { tx?: Tx; licenceIds?: string[] };

const inTx = <T>(services: Services, tx: Tx | undefined, run: (tx: Tx) => Promise<T>) => (tx ? run(tx) : services.prisma.$transaction(run));

/** Erases the alerts about the holder's licences, with their comments. Idempotent. */
export async function eraseSubjectFraudAlerts(services: Services, contactId: string, options: EraseOptions = {}) {
  const ids = await licenceIdsOf(services, contactId, options.licenceIds);
  return inTx(services, options.tx, async (tx) => {
    const comments = await tx.fraudAlertComment.deleteMany({ where: { alert: { licenceId: { in: ids } } } });
    const entries = await tx.fraudAlertEvidence.deleteMany({ where: { alert: { licenceId: { in: ids } } } });
    const alerts = await tx.fraudAlert.deleteMany({ where: { licenceId: { in: ids } } });
    return { alerts: alerts.count, comments: comments.count, evidenceEntries: entries.count };
  });
}

/**
 * Erases the rolling observations of the holder's licences: blind indexes are not readable, but
 * whoever holds the index key can match them, so they go with the subject. Idempotent.
 */
export async function eraseSubjectFraudObservations(services: Services, contactId: string, options: EraseOptions = {}): Promise<number> {
  const ids = await licenceIdsOf(services, contactId, options.licenceIds);
  return inTx(services, options.tx, async (tx) => (await tx.fraudObservation.deleteMany({ where: { licenceId: { in: ids } } })).count);
}

/**
 * Erases the holder's fraud data: alerts (with their comments) and the rolling observations of
 * their licences. Idempotent; inside the caller's transaction when `tx` is given.
 */
export async function eraseSubjectFraudEvidence(services: Services, contactId: string, options: EraseOptions = {}) {
  const ids = await licenceIdsOf(services, contactId, options.licenceIds);
  return inTx(services, options.tx, async (tx) => {
    const { alerts, comments, evidenceEntries } = await eraseSubjectFraudAlerts(services, contactId, { tx, licenceIds: ids });
    const observations = await eraseSubjectFraudObservations(services, contactId, { tx, licenceIds: ids });
    return { alerts, comments, evidenceEntries, observations, total: alerts + comments + evidenceEntries + observations };
  });
}

/** What is left of the holder's alerts, their evidence entries and comments: 0 after a successful erasure. */
export async function countSubjectFraudAlerts(services: Services, contactId: string, licenceIds?: string[]): Promise<number> {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  const [alerts, comments, entries] = await Promise.all([
    services.prisma.fraudAlert.count({ where: { licenceId: { in: ids } } }),
    services.prisma.fraudAlertComment.count({ where: { alert: { licenceId: { in: ids } } } }),
    services.prisma.fraudAlertEvidence.count({ where: { alert: { licenceId: { in: ids } } } }),
  ]);
  return alerts + comments + entries;
}

export async function countSubjectFraudObservations(services: Services, contactId: string, licenceIds?: string[]): Promise<number> {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  return services.prisma.fraudObservation.count({ where: { licenceId: { in: ids } } });
}

/** What is left of the holder's fraud data: 0 after a successful erasure. */
export async function countSubjectFraudData(services: Services, contactId: string, licenceIds?: string[]): Promise<number> {
  const ids = await licenceIdsOf(services, contactId, licenceIds);
  const [alerts, observations] = await Promise.all([countSubjectFraudAlerts(services, contactId, ids), countSubjectFraudObservations(services, contactId, ids)]);
  return alerts + observations;
}

/** The fraud module's stores for the privacy export and erasure (registered in src/privacy/stores/index.ts). */
export const fraudAlertsStore: SubjectDataStore = {
  name: 'fraud_alerts', category: 'fraud_evidence', models: ['FraudAlert', 'FraudAlertEvidence', 'FraudAlertComment'],
  export: (services, scope) => fromArray(() => listSubjectFraudAlerts(services, scope.contactId, scope.licenceIds)),
  async erase(services, scope, tx) {
    const { alerts, comments, evidenceEntries } = await eraseSubjectFraudAlerts(services, scope.contactId, { tx, licenceIds: scope.licenceIds });
    return alerts + comments + evidenceEntries;
  },
  count: (services, scope) => countSubjectFraudAlerts(services, scope.contactId, scope.licenceIds),
};

export const fraudObservationsStore: SubjectDataStore = {
  name: 'fraud_observations', category: 'fraud_evidence', models: ['FraudObservation'],
  export: (services, scope) => fromArray(() => listSubjectFraudObservations(services, scope.contactId, scope.licenceIds)),
  erase: (services, scope, tx) => eraseSubjectFraudObservations(services, scope.contactId, { tx, licenceIds: scope.licenceIds }),
  count: (services, scope) => countSubjectFraudObservations(services, scope.contactId, scope.licenceIds),
};
