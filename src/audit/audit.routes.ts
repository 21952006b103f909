import { z } from 'zod';
import { isoInstant, uuid } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { verifyAuditChain } from './verify-audit-chain';
import { AuditEntryView, ChainReportView, presentAuditEntry } from './present-audit-entry';

const AuditQuery = z.strictObject({
  subjectId: uuid().optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  /** entries with a sequence number below this one (paging backwards from the newest); a bigint column */
  before: z.coerce.bigint().positive().max(9_223_372_036_854_775_807n).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/v1/audit', tag: 'audit', access: staffOnly('auditor', 'privacy_officer'), query: AuditQuery,
    response: { status: 200, description: 'entries, newest first; pass nextBefore as `before` for older ones', schema: z.object({ items: z.array(AuditEntryView), nextBefore: z.string().nullable() }) },
    readsPersonalData: true,
    summary: 'Read the audit trail, newest first (this read is itself audited)',
    async handler({ services, query, staff, purpose, requestId }) {
      const entries = await services.prisma.auditEntry.findMany({
        where: {
          subjectId: query.subjectId, actorId: query.actorId, action: query.action,
          at: { gte: query.from ? new Date(query.from) : undefined, lte: query.to ? new Date(query.to) : undefined },
          seq: query.before ? { lt: query.before } : undefined,
        },
        orderBy: { seq: 'desc' },
        take: query.limit,
      });
      // Entries about a person show their details unsealed: each person shown gets an entry of
      // this read, so their export lists who read their trail and why (an unfiltered page too).
      const subjects = [...new Set([query.subjectId, ...entries.map((e) => e.subjectId)].filter((id): id is string => Boolean(id)))];
      const details = { filters: { ...query, before: query.before?.toString() } };
      await services.prisma.$transaction(async (tx) => {
        for (const subjectId of subjects.length > 0 ? subjects : [null]) {
          await services.audit.record({ actor: staff.actor, action: 'audit.read', subjectId, purpose, requestId, details }, tx);
        }
      });
      const items = await Promise.all(entries.map((entry) => presentAuditEntry(services, entry)));
      const last = entries.at(-1);
      return { body: { items, nextBefore: entries.length === query.limit && last ? last.seq.toString() : null } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/audit/verify', tag: 'audit', access: staffOnly('auditor', 'privacy_officer', 'admin'),
    response: { status: 200, description: 'the verification report', schema: ChainReportView },
    summary: 'Verify the hash chain; reports the first broken link',
    async handler({ services }) {
      return { body: await verifyAuditChain(services.prisma) };
    },
  }),
];
