import { Prisma } from '../generated/prisma/client';
import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { mergeEvidence, openEvidence, sealEvidence, startEvidence } from './alert-evidence';
import { fraudMetrics } from './fraud-metrics';
import { maxSeverity, type Evidence, type Severity, type SignalName } from './fraud-signals';

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
 * Opens the alert of this licence and signal, or grows the open one. There is at most one open
 * (or under review) alert per licence and signal: `openKey` is unique while the alert is
 * undecided, so parallel firings insert once (ON CONFLICT DO NOTHING) and the others lock that
 * row and merge their evidence into it. Nothing here touches the licence: staff decide.
 */
export async function recordFraudSignal(services: Services, firing: SignalFiring, now: Date): Promise<RecordOutcome> {
  const { licenceId, signal, holderId } = firing;
  const metrics = fraudMetrics(services);
  const outcome = await precondition(services, firing, now);
  if (outcome) {
    metrics.suppressed.inc({ reason: outcome });
    return outcome;
  }
  const openKey = openKeyOf(licenceId, signal);
  const result = await services.prisma.$transaction(async (tx) => {
    const sealed = await sealEvidence(services, holderId, startEvidence(firing.evidence, now));
    const alertId = randomUUID();
    const created = await tx.fraudAlert.createMany({
      data: [{ id: alertId, licenceId, customerId: firing.customerId, signal, severity: firing.severity, openKey, evidenceEnc: sealed, openedAt: now, lastEvidenceAt: now }],
      skipDuplicates: true,
    });
    if (created.count === 1) {
      await emitWebhookEvent(tx, 'fraud.alert.opened', { alertId, licenceId, customerId: firing.customerId, signal, severity: firing.severity, status: 'open' }, now);
      return 'opened' as const;
    }
    const [row] = await tx.$queryRaw<{ id: string; severity: Severity; evidenceEnc: string }[]>(
      Prisma.sql`SELECT id, severity::text AS severity, "evidenceEnc" FROM fraud_alerts WHERE "openKey" = ${openKey} FOR UPDATE`,
    );
    // Decided between our insert and our lock: the decision stands; the next firing opens anew.
    if (!row) return 'updated' as const;
    const evidence = mergeEvidence(await openEvidence(services, holderId, row.evidenceEnc), firing.evidence, now);
    await tx.fraudAlert.update({
      where: { id: row.id },
      data: { evidenceEnc: await sealEvidence(services, holderId, evidence), severity: maxSeverity(row.severity, firing.severity), lastEvidenceAt: now },
    });
    return 'updated' as const;
  }).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'SubjectKeyDestroyedError') return 'erased' as const;
    throw error;
  });
  if (result === 'opened') metrics.opened.inc({ signal });
  return result;
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
