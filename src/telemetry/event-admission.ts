/**
 * Which events of a batch are stored. Events dated in the future (beyond a clock skew allowance)
 * or older than the SDK's queue may hold them are skipped and counted, not fatal: one bad clock
 * must not make the SDK drop a whole batch of good events. Stale events would also land in
 * months whose roll-ups are settled and whose partitions may be gone.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_EVENT_AGE_MS = 30 * 86_400_000;

export interface Admission<E> { accepted: E[]; future: number; stale: number }

export function admitEvents<E extends { at: Date }>(events: E[], now: Date): Admission<E> {
  const latest = now.getTime() + CLOCK_SKEW_MS;
  const earliest = now.getTime() - MAX_EVENT_AGE_MS;
  const result: Admission<E> = { accepted: [], future: 0, stale: 0 };
  for (const event of events) {
    const at = event.at.getTime();
    if (at > latest) result.future += 1;
    else if (at < earliest) result.stale += 1;
    else result.accepted.push(event);
  }
  return result;
}

export type TelemetryDropReason = 'objected' | 'restricted' | 'policy_off' | 'future' | 'stale';

export interface CollectionFacts {
  telemetryObjectedAt: Date | null;
  restrictedAt: Date | null;
  policyTelemetry: 'on' | 'off';
}

/** Whether telemetry of this holder may be collected; the reason when not (for the metric). */
export function collectionDecision(facts: CollectionFacts): { collect: true } | { collect: false; reason: TelemetryDropReason } {
  if (facts.restrictedAt) return { collect: false, reason: 'restricted' };
  if (facts.telemetryObjectedAt) return { collect: false, reason: 'objected' };
  if (facts.policyTelemetry === 'off') return { collect: false, reason: 'policy_off' };
  return { collect: true };
}
