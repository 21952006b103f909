/**
 * Appends audit entries. Every feature calls `record` for staff reads and changes of personal
 * data, subject actions and system erasures. Appends are serialised by a transaction-scoped
 * advisory lock, so concurrent requests still produce one unbroken chain; inside a caller's
 * transaction the append waits until just before commit, so that lock is always the last one a
 * transaction takes (src/db/transactions.ts).
 *
 * What is about a person is sealed with that person's key, so erasure shreds it: the details and
 * the stated purpose (free text such as "ticket 4711: <name> cannot activate on <PC>" is personal
 * data about the subject). The chain covers the sealed text's digest, so it still verifies after
 * erasure nulls it. Once a subject's key is destroyed, new entries about them keep who, what,
 * when and which resource, without details or purpose.
 */
import type { PrismaClient } from '../generated/prisma/client';
import type { ActorType } from '../generated/prisma/enums';
import { SubjectKeyDestroyedError, type SubjectCrypto } from '../crypto/subject-keys';
import { beforeCommit, type Tx } from '../db/transactions';
import { chainHash, detailsDigest, GENESIS_HASH } from './audit-chain';

const AUDIT_LOCK = 4_242_001;

export type { Tx };

/** The key under which a subject entry's sealed details carry the staff's stated purpose. */
export const SEALED_PURPOSE = 'purpose';

export interface Actor { type: ActorType; id?: string | null }

export interface AuditInput {
  actor: Actor;
  action: string;
  subjectId?: string | null;
  resource?: { type: string; id: string };
  purpose?: string | null;
  requestId?: string | null;
  /** may contain personal data: sealed with the subject's key when there is a subject */
  details?: Record<string, unknown>;
}

export class AuditTrail {
  constructor(private readonly prisma: PrismaClient, private readonly subjects: SubjectCrypto) {}

  /** Appends one entry; inside the caller's transaction (just before it commits) when `tx` is given. */
  async record(input: AuditInput, tx?: Tx): Promise<void> {
    if (tx) return beforeCommit(tx, () => this.append(tx, input));
    await this.prisma.$transaction((inner) => this.append(inner, input));
  }

  /** Details and purpose as stored: sealed with the subject's key when the entry is about a person. */
  private async sealed(input: AuditInput): Promise<{ details: string | null; purpose: string | null }> {
    const purpose = input.purpose ?? null;
    if (!input.subjectId) return { details: input.details ? JSON.stringify(input.details) : null, purpose };
    const content = purpose === null ? input.details : { ...input.details, [SEALED_PURPOSE]: purpose };
    if (!content) return { details: null, purpose: null };
    try {
      return { details: await this.subjects.encrypt(input.subjectId, 'audit.details', JSON.stringify(content)), purpose: null };
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) return { details: null, purpose: null };
      throw error;
    }
  }

  private async append(tx: Tx, input: AuditInput): Promise<void> {
    const { details, purpose } = await this.sealed(input);
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AUDIT_LOCK);
    const [{ seq }] = await tx.$queryRawUnsafe<{ seq: bigint }[]>(
      `SELECT nextval(pg_get_serial_sequence('audit_entries', 'seq')) AS seq`,
    );
    const head = await tx.auditHead.findUnique({ where: { id: 1 } });
    const prevHash = head?.lastHash ?? GENESIS_HASH;
    const fields = {
      seq: BigInt(seq),
      // Millisecond precision: what PostgreSQL stores is what we hash.
      at: new Date(Math.floor(Date.now())),
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      action: input.action,
      subjectId: input.subjectId ?? null,
      resourceType: input.resource?.type ?? null,
      resourceId: input.resource?.id ?? null,
      purpose,
      requestId: input.requestId ?? null,
      detailsDigest: details === null ? null : detailsDigest(details),
    };
    const hash = chainHash(prevHash, fields);
    await tx.auditEntry.create({ data: { ...fields, details, prevHash, hash } });
    await tx.auditHead.upsert({
      where: { id: 1 },
      create: { id: 1, lastSeq: fields.seq, lastHash: hash },
      update: { lastSeq: fields.seq, lastHash: hash },
    });
  }
}
