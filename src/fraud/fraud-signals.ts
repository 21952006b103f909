/**
 * The six fraud signals (docs/architecture.md §5) as pure functions of what was observed, the policy's
 * thresholds and `now`. A signal only says whether it fires, how strongly and on which evidence;
 * it never decides anything about the licence — staff do (GDPR Art. 22).
 *
 * Each signal is written so that the honest situations next to it stay quiet: a docking station
 * or an IT rename is the same machine (machine-identity.ts), a daylight-saving switch is exactly
 * the tolerance, a laptop moving from home to the office VPN changes network once, a reinstall
 * is one release and one activation.
 */
import type { Thresholds } from './thresholds';

export type Severity = 'low' | 'medium' | 'high';
export type SignalName = 'device_fanout' | 'account_fanout' | 'churn' | 'mac_collision' | 'overlap' | 'clock_drift';

/** One piece of evidence; `key` identifies it so that growing evidence updates instead of repeating. */
export interface EvidenceItem {
  key: string;
  kind: 'machine' | 'account' | 'activity' | 'collision' | 'network' | 'drift';
  firstAt: string;
  lastAt: string;
  count: number;
  detail?: Record<string, string | number | boolean | null>;
}

export interface Evidence {
  summary: Record<string, number | string>;
  items: EvidenceItem[];
}

export type SignalVerdict = { fire: false } | { fire: true; severity: Severity; evidence: Evidence };

const QUIET: SignalVerdict = { fire: false };
const iso = (d: Date) => d.toISOString();

/** Severity from how far a count goes beyond its threshold. */
function excessSeverity(count: number, threshold: number): Severity {
  if (count > 2 * threshold + 1) return 'high';
  if (count > threshold + 1) return 'medium';
  return 'low';
}

export interface SeenValue { key: string; firstAt: Date; lastAt: Date; count: number }

function fanout(kind: 'machine' | 'account', seen: SeenValue[], threshold: number, windowMs: number, now: Date): SignalVerdict {
  const since = now.getTime() - windowMs;
  const inWindow = seen.filter((v) => v.lastAt.getTime() >= since && v.firstAt.getTime() <= now.getTime());
  if (inWindow.length <= threshold) return QUIET;
  return {
    fire: true,
    severity: excessSeverity(inWindow.length, threshold),
    evidence: {
      summary: { distinct: inWindow.length, threshold, windowHours: Math.round(windowMs / 3_600_000) },
      items: inWindow.map((v) => ({ key: `${kind}:${v.key}`, kind, firstAt: iso(v.firstAt), lastAt: iso(v.lastAt), count: v.count })),
    },
  };
}

/** More distinct machines tried within the window than the policy allows; refused attempts count. */
export function deviceFanout(machines: SeenValue[], t: Thresholds, now: Date): SignalVerdict {
  return fanout('machine', machines, t.deviceFanout, t.windowMs, now);
}

/** More distinct NT accounts tried within the window than the policy allows. */
export function accountFanout(accounts: SeenValue[], t: Thresholds, now: Date): SignalVerdict {
  return fanout('account', accounts, t.accountFanout, t.windowMs, now);
}

export interface ChurnObservation {
  /** activations per UTC day, "YYYY-MM-DD" */
  activationsByDay: { day: string; count: number }[];
  /** releases within the churn window */
  releases: Date[];
}

/** Activations and releases within 30 days above the threshold. */
export function churn(observed: ChurnObservation, t: Thresholds, now: Date): SignalVerdict {
  const firstDay = new Date(now.getTime() - t.churnWindowMs).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  const days = observed.activationsByDay.filter((d) => d.day >= firstDay && d.day <= today);
  const since = now.getTime() - t.churnWindowMs;
  const releases = observed.releases.filter((r) => r.getTime() >= since && r.getTime() <= now.getTime());
  const activations = days.reduce((sum, d) => sum + d.count, 0);
  const total = activations + releases.length;
  if (total <= t.churn) return QUIET;
  const items: EvidenceItem[] = [
    ...days.map((d) => ({ key: `activations:${d.day}`, kind: 'activity' as const, firstAt: `${d.day}T00:00:00.000Z`, lastAt: `${d.day}T23:59:59.999Z`, count: d.count, detail: { event: 'activation' } })),
    ...releases.map((r) => ({ key: `release:${iso(r)}`, kind: 'activity' as const, firstAt: iso(r), lastAt: iso(r), count: 1, detail: { event: 'release' } })),
  ];
  return { fire: true, severity: excessSeverity(total, t.churn), evidence: { summary: { activations, releases: releases.length, threshold: t.churn, windowDays: 30 }, items } };
}

export interface MacSighting {
  macIndex: string;
  otherLicenceId: string;
  otherDeviceId: string;
  otherPcNameIndex: string;
  sameCustomer: boolean;
  lastSeenAt: Date;
}

/**
 * One MAC under different PC names on other licences: a cloned image or a spoofed address.
 * A MAC shared while the machine also has an adapter of its own that nobody else reports is a
 * shared peripheral (a docking station, a USB adapter on a hot desk), not a clone; and the same
 * MAC with the same PC name on two licences is one machine using two licences.
 */
export function macCollision(observed: { pcNameIndex: string | null; macIndexes: string[]; sightings: MacSighting[] }, now: Date): SignalVerdict {
  if (!observed.pcNameIndex || observed.macIndexes.length === 0) return QUIET;
  const clashes = observed.sightings.filter((s) => s.otherPcNameIndex !== observed.pcNameIndex && observed.macIndexes.includes(s.macIndex));
  if (clashes.length === 0) return QUIET;
  const clashing = new Set(clashes.map((s) => s.macIndex));
  const hasOwnAdapter = observed.macIndexes.some((m) => !clashing.has(m));
  if (hasOwnAdapter) return QUIET;
  const acrossCustomers = clashes.some((s) => !s.sameCustomer);
  return {
    fire: true,
    severity: acrossCustomers ? 'high' : 'medium',
    evidence: {
      summary: { clashingMacs: clashing.size, otherLicences: new Set(clashes.map((s) => s.otherLicenceId)).size, acrossCustomers: acrossCustomers ? 'yes' : 'no' },
      items: clashes.map((s) => ({
        key: `collision:${s.macIndex}:${s.otherDeviceId}`, kind: 'collision' as const, firstAt: iso(now), lastAt: iso(now), count: 1,
        detail: { macIndex: s.macIndex, otherLicenceId: s.otherLicenceId, otherDeviceId: s.otherDeviceId, sameCustomer: s.sameCustomer, otherLastSeenAt: iso(s.lastSeenAt) },
      })),
    },
  };
}

export interface NetworkSighting { networkHash: string; at: Date }

/**
 * One device validating from one network, then another, then the first again within the window:
 * two places at once. Moving once (home → office VPN) is roaming and stays quiet.
 */
export function overlap(sightings: NetworkSighting[], t: Thresholds, now: Date): SignalVerdict {
  const since = now.getTime() - t.overlapWindowMs;
  const recent = sightings.filter((s) => s.at.getTime() >= since && s.at.getTime() <= now.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime());
  const runs: NetworkSighting[] = [];
  for (const s of recent) if (runs.length === 0 || runs[runs.length - 1].networkHash !== s.networkHash) runs.push(s);
  const distinct = new Set(runs.map((r) => r.networkHash)).size;
  const returns = runs.length - distinct;
  if (returns < 1) return QUIET;
  return {
    fire: true,
    severity: distinct >= 3 || returns >= 2 ? 'high' : 'medium',
    evidence: {
      summary: { networks: distinct, returns, windowMinutes: Math.round(t.overlapWindowMs / 60_000) },
      items: runs.map((r) => ({ key: `network:${r.networkHash}:${iso(r.at)}`, kind: 'network' as const, firstAt: iso(r.at), lastAt: iso(r.at), count: 1, detail: { networkHash: r.networkHash } })),
    },
  };
}

/** Ordinary clock skew and transit time, allowed on top of the policy's tolerance. */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/**
 * The client's clock off by more than the tolerance. The default tolerance (60 min) is exactly a
 * daylight-saving switch, so a clock that kept the old offset stays quiet. A clock set back far is
 * the stronger signal: it stretches offline grace and expiry.
 */
export function clockDrift(observed: { clientTime: Date | null }, t: Thresholds, now: Date): SignalVerdict {
  if (!observed.clientTime) return QUIET;
  const driftMs = observed.clientTime.getTime() - now.getTime();
  if (Math.abs(driftMs) <= t.clockDriftMs + CLOCK_SKEW_ALLOWANCE_MS) return QUIET;
  const driftMinutes = Math.round(driftMs / 60_000);
  const day = 24 * 60;
  const severity: Severity = driftMinutes < -day ? 'high' : Math.abs(driftMinutes) > day ? 'medium' : 'low';
  const bucket = Math.round(driftMinutes / 5) * 5;
  return {
    fire: true,
    severity,
    evidence: {
      summary: { driftMinutes, toleranceMinutes: Math.round(t.clockDriftMs / 60_000) },
      items: [{ key: `drift:${bucket}`, kind: 'drift', firstAt: iso(now), lastAt: iso(now), count: 1, detail: { driftMinutes, clientTime: iso(observed.clientTime) } }],
    },
  };
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };
export const maxSeverity = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);
