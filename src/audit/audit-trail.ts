/**
 * Appends audit entries. Every feature calls `record` for staff reads and changes of personal
 * data, subject actions and system erasures. Appends are serialised by a transaction-scoped
 * advisory lock, so concurrent requests still produce one unbroken chain.
 */
import type { PrismaClient } from '../generated/prisma/client';
import type { ActorType } from '../generated/prisma/enums';
import type { SubjectCrypto } from '../crypto/subject-keys';
import { chainHash, detailsDigest, GENESIS_HASH } from './audit-chain';

const AUDIT_LOCK = 4_242_001;

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

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

  /** Appends one entry; inside the caller's transaction when `tx` is given. */
  async record(input: AuditInput, tx?: Tx): Promise<bigint> {
    if (tx) return this.append(tx, input);
    return this.prisma.$transaction((inner) => this.append(inner, input));
  }

  private async append(tx: Tx, input: AuditInput): Promise<bigint> {
    let details: string | null = null;
    if (input.details) {
      const json = JSON.stringify(input.details);
      details = input.subjectId ? await this.subjects.encrypt(tx, input.subjectId, 'audit.details', json) : json;
    }
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
      purpose: input.purpose ?? null,
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
    return fields.seq;
  }
}
