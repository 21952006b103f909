/**
 * The hash chain of the audit trail (docs/architecture.md §7): h = SHA-256(prevHash ‖ SHA-256(canonical entry)).
 * The canonical entry is a fixed-order JSON array, so the same entry always hashes the same.
 * It covers the digest of `details`, not the details: those may be erased (personal data)
 * without breaking the chain.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: bigint;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectId: string | null;
  resourceType: string | null;
  resourceId: string | null;
  purpose: string | null;
  requestId: string | null;
  detailsDigest: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function canonicalEntry(entry: ChainedFields): string {
  return JSON.stringify([
    entry.seq.toString(), entry.at.toISOString(), entry.actorType, entry.actorId, entry.action, entry.subjectId,
    entry.resourceType, entry.resourceId, entry.purpose, entry.requestId, entry.detailsDigest,
  ]);
}

export function chainHash(prevHash: string, entry: ChainedFields): string {
  return sha256(prevHash + sha256(canonicalEntry(entry)));
}

export function detailsDigest(details: string): string {
  return sha256(details);
}
