/** Fraud alerts about the subject's licences, their evidence, decisions and staff comments. Owner to take over: issue 4 (src/fraud). */
import type { SubjectDataStore } from '../subject-data';
import { fromArray } from '../subject-data';
import { iso, openField, subjectKey } from './field-crypto';

/** the label src/fraud/alert-evidence.ts seals evidence with */
export const EVIDENCE_LABELS = ['fraud_alert.evidence'];

export const fraudAlertsStore: SubjectDataStore = {
  name: 'fraud_alerts', category: 'fraud_evidence', models: ['FraudAlert', 'FraudAlertComment'],
  export: (services, scope) => fromArray(async () => {
    const key = await subjectKey(services, scope.contactId);
    const rows = await services.prisma.fraudAlert.findMany({ where: { licenceId: { in: scope.licenceIds } }, include: { comments: { orderBy: { at: 'asc' } } }, orderBy: { openedAt: 'asc' } });
    return rows.map((a) => {
      const evidence = openField(services, key, scope.contactId, a.evidenceEnc, EVIDENCE_LABELS);
      let parsed: unknown = evidence;
      try { parsed = evidence ? JSON.parse(evidence) : null; } catch { /* evidence stored as plain text */ }
      return {
        id: a.id, licenceId: a.licenceId, signal: a.signal, severity: a.severity, status: a.status, evidence: parsed,
        openedAt: iso(a.openedAt), lastEvidenceAt: iso(a.lastEvidenceAt),
        decision: a.decidedAt ? { at: iso(a.decidedAt), byStaffId: a.decidedById, reason: a.decisionReason, licenceSuspended: a.suspended } : null,
        comments: a.comments.map((c) => ({ at: iso(c.at), staffId: c.staffId, body: c.body })),
      };
    });
  }),
  async erase(_services, scope, tx) {
    const comments = await tx.fraudAlertComment.deleteMany({ where: { alert: { licenceId: { in: scope.licenceIds } } } });
    const alerts = await tx.fraudAlert.deleteMany({ where: { licenceId: { in: scope.licenceIds } } });
    return comments.count + alerts.count;
  },
  count: async (services, scope) => {
    const [alerts, comments] = await Promise.all([
      services.prisma.fraudAlert.count({ where: { licenceId: { in: scope.licenceIds } } }),
      services.prisma.fraudAlertComment.count({ where: { alert: { licenceId: { in: scope.licenceIds } } } }),
    ]);
    return alerts + comments;
  },
};
