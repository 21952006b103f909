import { z } from 'zod';
import { Instant, listOf } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import type { RetentionRun } from '../generated/prisma/client';
import { runRetention } from './run-retention';

const RunsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const RunBody = z.strictObject({ dryRun: z.boolean().default(true) });

const RunView = z.object({
  id: z.uuid(), trigger: z.string(), dryRun: z.boolean(), startedAt: Instant, finishedAt: Instant.nullable(),
  result: z.unknown().describe('what was erased or expired, counted per store'),
  receipt: z.string().nullable().describe('the signed receipt (JWS)'),
});

function presentRun(r: RetentionRun) {
  return { id: r.id, trigger: r.trigger, dryRun: r.dryRun, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, result: r.result, receipt: r.receiptJws };
}

export const retentionRoutes = [
  defineRoute({
    method: 'get', path: '/v1/retention/runs', tag: 'retention', access: staffOnly('privacy_officer', 'auditor'), query: RunsQuery,
    response: { status: 200, description: 'the runs, newest first', schema: listOf(RunView) },
    summary: 'Retention runs, newest first, each with its signed receipt',
    async handler({ services, query }) {
      const runs = await services.prisma.retentionRun.findMany({ orderBy: { startedAt: 'desc' }, take: query.limit });
      return { body: { items: runs.map(presentRun) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/retention/runs', tag: 'retention', access: staffOnly('privacy_officer'), body: RunBody,
    response: { status: 201, description: 'the finished run with its signed receipt', schema: RunView },
    summary: 'Start a retention run now (dry run by default)',
    async handler({ services, body, staff, requestId }) {
      const run = await runRetention(services, { dryRun: body.dryRun, trigger: `staff:${staff.id}` });
      await services.audit.record({ actor: staff.actor, action: 'retention.run', resource: { type: 'retention_run', id: run.id }, requestId, details: { dryRun: body.dryRun } });
      return { status: 201, body: presentRun(run) };
    },
  }),
];
