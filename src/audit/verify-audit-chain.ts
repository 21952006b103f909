/**
 * Walks the whole audit chain and reports the first broken link: an edited entry (its hash no
 * longer matches), a deleted or inserted entry (the next entry's prevHash no longer matches),
 * edited details (digest mismatch) or removed newest entries (the head no longer matches).
 */
import type { AuditEntry, PrismaClient } from '../generated/prisma/client';
import { chainHash, detailsDigest, GENESIS_HASH } from './audit-chain';

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: string | null; reason: string };
}

const PAGE = 2_000;

export async function verifyAuditChain(prisma: PrismaClient): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let lastSeq: bigint | null = null;
  let checked = 0;
  for (;;) {
    const page: AuditEntry[] = await prisma.auditEntry.findMany({
      where: lastSeq === null ? {} : { seq: { gt: lastSeq } },
      orderBy: { seq: 'asc' },
      take: PAGE,
    });
    for (const entry of page) {
      const seq = entry.seq.toString();
      if (entry.prevHash !== prevHash) return broken(checked, seq, 'prevHash does not match the previous entry (an entry was removed, inserted or reordered)');
      if (entry.details !== null && entry.detailsDigest !== detailsDigest(entry.details)) return broken(checked, seq, 'details were changed');
      if (chainHash(prevHash, entry) !== entry.hash) return broken(checked, seq, 'entry was changed after it was written');
      prevHash = entry.hash;
      lastSeq = entry.seq;
      checked += 1;
    }
    if (page.length < PAGE) break;
  }
  const head = await prisma.auditHead.findUnique({ where: { id: 1 } });
  const headHash = head?.lastHash ?? GENESIS_HASH;
  if (headHash !== prevHash || (head && head.lastSeq !== lastSeq)) {
    return broken(checked, lastSeq?.toString() ?? null, 'the newest entries were removed (the chain head does not match)');
  }
  return { ok: true, checked };
}

function broken(checked: number, seq: string | null, reason: string): ChainReport {
  return { ok: false, checked, firstBroken: { seq, reason } };
}
