/**
 * The fraud hook of validation: `observeValidation` is called once per validation and returns
 * at once; the evaluation runs after the response is sent, coalesced per licence and bounded
 * (fraud-runtime.ts). Steady state
 * — the same machine, account and network again — costs no query: only what is new (or whose
 * `lastAt` has gone stale) is written, and only then are the counters read back, each by one
 * query bounded to the licence. Nothing here changes a licence: signals open alerts, staff decide.
 */
import type { ValidationCode } from '../generated/prisma/enums';
import type { Services } from '../services';
import { combineEvidence } from './alert-evidence';
import { fraudRuntime, type LicenceMemory } from './fraud-runtime';
import { clockDrift, maxSeverity, overlap, type Evidence, type NetworkSighting, type Severity, type SignalName, type SignalVerdict } from './fraud-signals';
import { recordFraudSignal } from './record-fraud-signal';
import { evaluateStoredSignals } from './stored-signals';
import { coolDownMs, thresholdsOf, type FraudPolicy, type Thresholds } from './thresholds';

/** What validation tells fraud detection about one validation. Blind indexes only, no clear text. */
export interface ValidationObservation {
  /** server time of the validation */
  at: Date;
  code: ValidationCode;
  /** offline: an activation from a request file, uploaded from another PC (its network and clock are not the device's) */
  source: 'online' | 'offline';
  licence: { id: string; customerId: string; holderId: string };
  /**
   * The holder objected to fraud profiling (Art. 21) or restricted processing (Art. 18): read by
   * the validation's own query, so a choice applies to the very next validation on every instance.
   */
  profilingStopped: boolean;
  policy: FraudPolicy;
  device: { id: string; new: boolean } | null;
  pcNameIndex: string | null;
  ntAccountIndex: string | null;
  macIndexes: string[];
  /** keyed hash of the client's network prefix (/24, /48), computed by validation; never the address */
  networkHash: string | null;
  clientTime: Date | null;
}

/** Codes of attempts made with a usable licence: contractual refusals count as attempts. */
const OBSERVED: ReadonlySet<ValidationCode> = new Set(['VALID', 'USER_MISMATCH', 'TOO_MANY_MACHINES', 'DEVICE_RELEASED']);

export function fraudSignalsEnabled(services: Services): boolean {
  return services.config.fraudSignals !== 'off';
}

/** The hook: queue the evaluation of this validation. Never throws, never waits (shedding is counted and logged by the queue). */
export function observeValidation(services: Services, observation: ValidationObservation): void {
  // Not profiled: nothing is observed or kept about their validations (contractual limits
  // still apply in validation itself).
  if (!fraudSignalsEnabled(services) || !OBSERVED.has(observation.code) || observation.profilingStopped) return;
  fraudRuntime(services).queue.enqueue(observation.licence.id, observation, (batch) => evaluateValidations(services, batch as ValidationObservation[]));
}

/** How long a persisted sighting counts as fresh: a quarter of the window, at most 15 minutes. */
export const refreshMs = (t: Thresholds) => Math.min(t.windowMs / 4, 15 * 60_000);

export async function evaluateValidation(services: Services, o: ValidationObservation): Promise<void> {
  return evaluateValidations(services, [o]);
}

/**
 * Evaluates the validations of one licence that waited together (in the order they were
 * answered, which is not always the order they started: see overlapOfDevice): each one's
 * signals in order, as if evaluated one by one, but each signal that fired is recorded once,
 * with the evidence of all of them — one append per signal however many validations came in.
 */
export async function evaluateValidations(services: Services, batch: ValidationObservation[]): Promise<void> {
  if (batch.length === 0) return;
  const memory = fraudRuntime(services).memory(batch[0].licence.id);
  const firings = new Map<SignalName, { severity: Severity; evidence: Evidence; t: Thresholds }>();
  // Overlap looks at each device's recent networks as a whole: remember every sighting of the
  // batch, then judge each device once, on its last one (its verdict covers the earlier ones).
  const lastSighting = new Map<string, ValidationObservation>();
  for (const o of batch) {
    if (!o.device || !o.networkHash) continue;
    rememberNetwork(memory, o.device.id, o.networkHash, thresholdsOf(o.policy), o.at);
    lastSighting.set(o.device.id, o);
  }
  for (const o of batch) {
    const t = thresholdsOf(o.policy);
    const verdicts: [SignalName, SignalVerdict][] = [['clock_drift', clockDrift({ clientTime: o.clientTime }, t, o.at)]];
    if (o.device && lastSighting.get(o.device.id) === o) verdicts.push(['overlap', overlapOfDevice(memory.networks.get(o.device.id) ?? [], t, o.at)]);
    verdicts.push(...await evaluateStoredSignals(services, o, memory, t, refreshMs(t)));
    for (const [signal, verdict] of verdicts) {
      if (!verdict.fire || recentlyRecorded(memory, signal, verdict, o.at, refreshMs(t))) continue;
      const earlier = firings.get(signal);
      firings.set(signal, earlier
        ? { severity: maxSeverity(earlier.severity, verdict.severity), evidence: combineEvidence(earlier.evidence, verdict.evidence), t }
        : { severity: verdict.severity, evidence: verdict.evidence, t });
    }
  }
  const last = batch[batch.length - 1];
  for (const [signal, firing] of firings) {
    const outcome = await recordFraudSignal(services, {
      licenceId: last.licence.id, customerId: last.licence.customerId, holderId: last.licence.holderId,
      signal, severity: firing.severity, evidence: firing.evidence, coolDownMs: coolDownMs(signal, firing.t),
    }, last.at, memory.open.has(signal));
    if (outcome === 'opened' || outcome === 'updated') memory.open.add(signal);
    else memory.open.delete(signal);
  }
}

/**
 * A device's overlap verdict from everything remembered of it, judged at its latest sighting.
 * Observations reach the fraud engine in the order their validations answered, not the order
 * they started (grouped statements resume many validations at once), so a batch's last
 * observation can be older than sightings already remembered: judged at its own time, the newer
 * ones were left out, and a key used from four networks at once could go without an alert.
 */
export function overlapOfDevice(sightings: NetworkSighting[], t: Thresholds, observedAt: Date): SignalVerdict {
  const latest = sightings.reduce((max, s) => Math.max(max, s.at.getTime()), observedAt.getTime());
  return overlap(sightings, t, new Date(latest));
}

function rememberNetwork(memory: LicenceMemory, deviceId: string, networkHash: string, t: Thresholds, now: Date) {
  const since = now.getTime() - t.overlapWindowMs;
  const recent = (memory.networks.get(deviceId) ?? []).filter((s) => s.at.getTime() >= since).slice(-20);
  recent.push({ networkHash, at: now });
  memory.networks.set(deviceId, recent);
  return recent;
}

/** The same evidence recorded moments ago adds nothing: skip it (a drifted clock validating every minute). */
function recentlyRecorded(memory: LicenceMemory, signal: SignalName, verdict: SignalVerdict, now: Date, freshMs: number): boolean {
  if (!verdict.fire) return true;
  const key = `${signal}|${verdict.severity}|${verdict.evidence.items.map((i) => i.key).sort().join(',')}`;
  const last = memory.recorded.get(key);
  if (last !== undefined && now.getTime() - last < freshMs && now.getTime() >= last) return true;
  if (memory.recorded.size > 200) memory.recorded.clear();
  memory.recorded.set(key, now.getTime());
  return false;
}
