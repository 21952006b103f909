/**
 * Walks the whole audit chain and reports every broken link, not only the first: an edited entry
 * (its hash no longer matches its content), a deleted or inserted entry (the next entry's prevHash
 * no longer matches), edited details (digest mismatch) or removed newest entries (the head no
 * longer matches). Each entry is checked against its own stored predecessor hash, so one damaged
 * entry does not hide a later tampering.
 */
import type { AuditEntry, PrismaClient } from '../generated/prisma/client';
import { chainHash, detailsDigest, GENESIS_HASH } from './audit-chain';

export interface BrokenLink { seq: string | null; reason: string }

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** the first break (kept for callers that show one) */
  firstBroken?: BrokenLink;
  /** every break found, oldest first, at most MAX_REPORTED */
  broken: BrokenLink[];
  /** how many breaks there were in all (may exceed the list) */
  brokenCount: number;
}

const PAGE = 2_000;
export const MAX_REPORTED = 1_000;

export function linkProblems(entry: AuditEntry, prevHash: string): string[] {
  const problems: string[] = [];
  if (entry.prevHash !== prevHash) problems.push('prevHash does not match the previous entry (an entry was removed, inserted or reordered)');
  if (entry.details !== null && entry.detailsDigest !== detailsDigest(entry.details)) problems.push('details were changed');
  if (chainHash(entry.prevHash, entry) !== entry.hash) problems.push('entry was changed after it was written');
  return problems;
}

export async function verifyAuditChain(prisma: PrismaClient): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let lastSeq: bigint | null = null;
  let checked = 0;
  const broken: BrokenLink[] = [];
  let brokenCount = 0;
  const report = (seq: string | null, reason: string) => {
    brokenCount += 1;
    if (broken.length < MAX_REPORTED) broken.push({ seq, reason });
  };
  for (;;) {
    const page: AuditEntry[] = await prisma.auditEntry.findMany({
      where: lastSeq === null ? {} : { seq: { gt: lastSeq } },
      orderBy: { seq: 'asc' },
      take: PAGE,
    });
    for (const entry of page) {
      for (const reason of linkProblems(entry, prevHash)) report(entry.seq.toString(), reason);
      prevHash = entry.hash;
      lastSeq = entry.seq;
      checked += 1;
    }
    if (page.length < PAGE) break;
  }
  const head = await prisma.auditHead.findUnique({ where: { id: 1 } });
  const headHash = head?.lastHash ?? GENESIS_HASH;
  if (headHash !== prevHash || (head && head.lastSeq !== lastSeq)) {
    report(lastSeq?.toString() ?? null, 'the newest entries were removed (the chain head does not match)');
  }
  return brokenCount === 0 ? { ok: true, checked, broken, brokenCount } : { ok: false, checked, firstBroken: broken[0], broken, brokenCount };
}
