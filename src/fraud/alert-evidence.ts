/**
 * The evidence of an alert: which machines, accounts, networks and times. It is personal data of
 * the licence holder, so it is sealed with the holder's data key (erasure shreds it with the rest)
 * and shown in three views: in full to deciding staff, masked to support without a purpose, and
 * to the holder without the identifiers of other licences.
 */
import type { Tx } from '../audit/audit-trail';
import { SubjectKeyDestroyedError } from '../crypto/subject-keys';
import type { Services } from '../services';
import type { Evidence, EvidenceItem } from './fraud-signals';

export interface AlertEvidence extends Evidence {
  /** how many times the signal fired into this alert */
  occurrences: number;
  firstAt: string;
  lastAt: string;
}

const FIELD = 'fraud_alert.evidence';
const MAX_ITEMS = 100;
/** items whose count adds up (each firing is a new event) rather than being a fresh snapshot */
const ADDITIVE: ReadonlySet<EvidenceItem['kind']> = new Set(['drift']);
/** details that point at another licence or identify a machine or network */
const IDENTIFYING = ['macIndex', 'otherLicenceId', 'otherDeviceId', 'networkHash'];
const OTHER_PARTY = ['otherLicenceId', 'otherDeviceId'];

export function startEvidence(incoming: Evidence, now: Date): AlertEvidence {
  return mergeEvidence(null, incoming, now);
}

/** Grows the evidence: items with the same key are updated, not repeated; the newest are kept. */
export function mergeEvidence(existing: AlertEvidence | null, incoming: Evidence, now: Date): AlertEvidence {
  const items = new Map<string, EvidenceItem>((existing?.items ?? []).map((i) => [i.key, i]));
  for (const item of incoming.items) {
    const old = items.get(item.key);
    items.set(item.key, old ? {
      ...item,
      firstAt: old.firstAt < item.firstAt ? old.firstAt : item.firstAt,
      lastAt: old.lastAt > item.lastAt ? old.lastAt : item.lastAt,
      count: ADDITIVE.has(item.kind) ? old.count + item.count : Math.max(old.count, item.count),
    } : item);
  }
  const kept = [...items.values()].sort((a, b) => a.lastAt.localeCompare(b.lastAt)).slice(-MAX_ITEMS);
  return {
    summary: { ...existing?.summary, ...incoming.summary },
    items: kept,
    occurrences: (existing?.occurrences ?? 0) + 1,
    firstAt: existing?.firstAt ?? now.toISOString(),
    lastAt: now.toISOString(),
  };
}

export async function sealEvidence(services: Services, holderId: string, evidence: AlertEvidence): Promise<string> {
  return services.subjects.encrypt(holderId, FIELD, JSON.stringify(evidence));
}

/** The evidence, or null when it was erased (the holder's key destroyed, or the column emptied). */
export async function openEvidence(services: Services, holderId: string, sealed: string): Promise<AlertEvidence | null> {
  if (!sealed) return null;
  try {
    return JSON.parse(await services.subjects.decrypt(holderId, FIELD, sealed)) as AlertEvidence;
  } catch (error) {
    if (error instanceof SubjectKeyDestroyedError) return null;
    throw error;
  }
}

function withoutDetails(item: EvidenceItem, names: string[]): EvidenceItem {
  if (!item.detail) return item;
  return { ...item, detail: Object.fromEntries(Object.entries(item.detail).filter(([k]) => !names.includes(k))) };
}

/** For support without a purpose: the pattern (kinds, counts, times), not who or where. */
export function maskEvidence(evidence: AlertEvidence): AlertEvidence {
  const numbering = new Map<string, number>();
  const items = evidence.items.map((item) => {
    const n = (numbering.get(item.kind) ?? 0) + 1;
    numbering.set(item.kind, n);
    return { ...withoutDetails(item, IDENTIFYING), key: `${item.kind} ${n}` };
  });
  return { ...evidence, items };
}

/** For the licence holder: their own evidence, without identifiers of other people's licences. */
export function evidenceForSubject(evidence: AlertEvidence): AlertEvidence {
  return {
    ...evidence,
    items: evidence.items.map((item) => {
      const own = withoutDetails(item, OTHER_PARTY);
      return item.kind === 'collision' ? { ...own, key: `collision ${item.detail?.macIndex ?? ''}`.trim() } : own;
    }),
  };
}
