import { randomUUID } from 'node:crypto';
import { SubjectKeyDestroyedError } from '../crypto/subject-keys';
import type { Services } from '../services';
import type { WebhookEventData } from '../webhooks/event-types';
import { sealEvidence, sealEvidenceEntry, startEvidence } from './alert-evidence';
import { fraudMetrics } from './fraud-metrics';
import { fraudStatements } from './fraud-statements';
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
 * when there is no open alert is one opened — preconditions, alert and webhook event in one
 * statement (INSERT … ON CONFLICT DO NOTHING; a concurrent opener wins and this firing is
 * appended to its alert). No interactive transaction anywhere: nothing holds a
 * pooled connection while JavaScript runs, so a busy event loop cannot make a transaction wait
 * for a connection or outlive its timeout (Prisma's P2028, what failed evaluations under a storm
 * were). Nothing here touches the licence: staff decide.
 */
export async function recordFraudSignal(services: Services, firing: SignalFiring, now: Date, likelyOpen = true): Promise<RecordOutcome> {
  const { licenceId, signal } = firing;
  const metrics = fraudMetrics(services);
  const openKey = openKeyOf(licenceId, signal);
  try {
    // Objection and restriction were read by the validation itself (observation.profilingStopped);
    // an open alert needs no cool-down check: it is not being opened. `likelyOpen` false (this
    // instance has seen no alert of this licence and signal yet) skips an append that would find none.
    if (likelyOpen && await appendEvidence(services, openKey, firing, now)) return 'updated';
    const outcome = await openAlert(services, openKey, firing, now);
    if (outcome === 'opened') metrics.opened.inc({ signal });
    if (outcome === 'opened' || outcome === 'erased' || outcome === 'objected' || outcome === 'cooling_down') {
      if (outcome !== 'opened') metrics.suppressed.inc({ reason: outcome });
      return outcome;
    }
    // Already open (opened by someone else meanwhile, or before this instance knew): add to it.
    // Decided in between too: the decision stands.
    await appendEvidence(services, openKey, firing, now);
    return 'updated';
  } catch (error) {
    // (Its name is plain "Error": matching on the name, as before, never caught it.)
    if (error instanceof SubjectKeyDestroyedError) return 'erased';
    throw error;
  }
}

/**
 * Appends this firing to the open alert of `openKey` in one statement: counts it, raises the
 * severity and the last-evidence time, and writes its sealed entry into its slot (the first
 * EVIDENCE_HEAD firings, then a ring of the latest EVIDENCE_TAIL; fraud-statements.ts). False
 * when no alert is open.
 */
async function appendEvidence(services: Services, openKey: string, firing: SignalFiring, now: Date): Promise<boolean> {
  const entryEnc = await sealEvidenceEntry(services, firing.holderId, firing.evidence, now);
  // Shares its statement with the appends of other alerts at the same moment (fraud-statements.ts).
  return fraudStatements(services).appendEvidence({ openKey, severity: firing.severity, at: now, entryEnc });
}

/**
 * Opens the alert with its webhook event in one statement, unless the holder objected or is
 * restricted (Art. 21, Art. 18: contractual limits still apply in validation, but no profiling
 * alert is kept) or the signal was dismissed within its cool-down (evidence staff judged innocent
 * cannot reopen the alert on its own). 'exists' when an alert is already open.
 */
async function openAlert(services: Services, openKey: string, firing: SignalFiring, now: Date): Promise<RecordOutcome | 'exists'> {
  const { licenceId, customerId, signal, severity, holderId } = firing;
  const evidenceEnc = await sealEvidence(services, holderId, startEvidence(firing.evidence, now));
  const alertId = randomUUID();
  // Shares its statement with the openings of other alerts at the same moment (fraud-statements.ts).
  const row = await fraudStatements(services).openAlert({
    alertId, licenceId, customerId, holderId, signal, severity, openKey, evidenceEnc, at: now,
    coolingDownSince: new Date(now.getTime() - firing.coolDownMs),
    eventData: JSON.stringify({ alertId, licenceId, customerId, signal, severity, status: 'open' } satisfies WebhookEventData['fraud.alert.opened']),
  });
  if (!row) return 'erased';
  if (row.objected) return 'objected';
  if (row.coolingDown) return 'cooling_down';
  return row.opened ? 'opened' : 'exists';
}
