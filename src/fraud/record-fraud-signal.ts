import { Prisma } from '../generated/prisma/client';
import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { EVIDENCE_HEAD, EVIDENCE_TAIL, sealEvidence, sealEvidenceEntry, startEvidence } from './alert-evidence';
import { fraudMetrics } from './fraud-metrics';
import type { Evidence, Severity, SignalName } from './fraud-signals';

export interface SignalFiring {
  licenceId: string;
  customerId: string;
  holderId: string;
  signal: SignalName;
  severity: Severity;
  evidence: Evidence;
  /** how long a dismissal keeps this signal quiet for the licence */
  coolDownMs: number;
}

export type RecordOutcome = 'opened' | 'updated' | 'cooling_down' | 'objected' | 'erased';

export const openKeyOf = (licenceId: string, signal: SignalName) => `${licenceId}:${signal}`;

/**
 * Opens the alert of this licence and signal, or adds this firing's evidence to the open one.
 * There is at most one open (or under review) alert per licence and signal: `openKey` is unique
 * while the alert is undecided.
 *
 * Adding evidence is one statement that reads nothing back (appendEvidence), so firings into the
 * same alert — from this instance or another — queue only for that row's lock for the length of
 * one UPDATE, never behind a transaction that decrypts and re-encrypts the whole evidence. Only
 * when there is no open alert are the preconditions read and one opened (INSERT … ON CONFLICT DO
 * NOTHING; a concurrent opener wins and this firing is appended to its alert). Nothing here
 * touches the licence: staff decide.
 */
export async function recordFraudSignal(services: Services, firing: SignalFiring, now: Date): Promise<RecordOutcome> {
  const { licenceId, signal, holderId } = firing;
  const metrics = fraudMetrics(services);
  const openKey = openKeyOf(licenceId, signal);
  try {
    // Objection and restriction were read by the validation itself (observation.profilingStopped);
    // an open alert needs no cool-down check: it is not being opened.
    if (await appendEvidence(services, openKey, firing, now)) return 'updated';
    const outcome = await precondition(services, firing, now);
    if (outcome) {
      metrics.suppressed.inc({ reason: outcome });
      return outcome;
    }
    const sealed = await sealEvidence(services, holderId, startEvidence(firing.evidence, now));
    const opened = await services.prisma.$transaction(async (tx) => {
      const alertId = randomUUID();
      const created = await tx.fraudAlert.createMany({
        data: [{ id: alertId, licenceId, customerId: firing.customerId, signal, severity: firing.severity, openKey, evidenceEnc: sealed, openedAt: now, lastEvidenceAt: now }],
        skipDuplicates: true,
      });
      if (created.count === 1) {
        await emitWebhookEvent(tx, 'fraud.alert.opened', { alertId, licenceId, customerId: firing.customerId, signal, severity: firing.severity, status: 'open' }, now);
      }
      return created.count === 1;
    });
    if (opened) {
      metrics.opened.inc({ signal });
      return 'opened';
    }
    // Opened by someone else in the meantime: add to theirs. Decided in between too: the decision stands.
    await appendEvidence(services, openKey, firing, now);
    return 'updated';
  } catch (error) {
    if (error instanceof Error && error.name === 'SubjectKeyDestroyedError') return 'erased';
    throw error;
  }
}

/**
 * Appends this firing to the open alert of `openKey` in one statement: counts it, raises the
 * severity and the last-evidence time, and writes its sealed entry into its slot (the first
 * EVIDENCE_HEAD firings, then a ring of the latest EVIDENCE_TAIL). False when no alert is open.
 */
async function appendEvidence(services: Services, openKey: string, firing: SignalFiring, now: Date): Promise<boolean> {
  const entry = await sealEvidenceEntry(services, firing.holderId, firing.evidence, now);
  // evidenceCount counts the opening too, so the new entry's 0-based index is the new count − 2.
  const rows = await services.prisma.$queryRaw<{ alertId: string }[]>(Prisma.sql`
    WITH alert AS (
      UPDATE fraud_alerts
         SET "evidenceCount" = "evidenceCount" + 1,
             severity = GREATEST(severity, ${firing.severity}::"AlertSeverity"),
             "lastEvidenceAt" = GREATEST("lastEvidenceAt", ${now}),
             "updatedAt" = ${now}
       WHERE "openKey" = ${openKey}
       RETURNING id, "evidenceCount" - 2 AS idx
    )
    INSERT INTO fraud_alert_evidence ("alertId", slot, at, "entryEnc")
    SELECT id, CASE WHEN idx < ${EVIDENCE_HEAD + EVIDENCE_TAIL} THEN idx ELSE ${EVIDENCE_HEAD} + (idx - ${EVIDENCE_HEAD}) % ${EVIDENCE_TAIL} END, ${now}, ${entry}
      FROM alert
    ON CONFLICT ("alertId", slot) DO UPDATE SET at = EXCLUDED.at, "entryEnc" = EXCLUDED."entryEnc"
    RETURNING "alertId"`);
  return rows.length === 1;
}

/** Why this firing must open nothing, if it must not. */
async function precondition(services: Services, firing: SignalFiring, now: Date): Promise<RecordOutcome | null> {
  // Art. 21 objection to fraud profiling, or Art. 18 restriction: contractual limits still
  // apply in validation, but no profiling alert is kept about this holder.
  const holder = await services.prisma.contact.findUnique({ where: { id: firing.holderId }, select: { profilingObjectedAt: true, restrictedAt: true } });
  if (!holder) return 'erased';
  if (holder.profilingObjectedAt || holder.restrictedAt) return 'objected';
  // A dismissal keeps the signal quiet for its window, so the evidence staff already judged
  // innocent cannot reopen the alert on its own.
  const dismissed = await services.prisma.fraudAlert.findFirst({
    where: { licenceId: firing.licenceId, signal: firing.signal, status: 'dismissed', decidedAt: { gte: new Date(now.getTime() - firing.coolDownMs) } },
    select: { id: true },
  });
  return dismissed ? 'cooling_down' : null;
}
