/**
 * The breach register (Art. 33(5)): every breach is recorded, notified or not, with the facts,
 * effects and measures. Staff must describe categories and counts, not people: the register holds
 * no subject's personal data.
 */
import { z } from 'zod';
import type { BreachRecord } from '../generated/prisma/client';
import { IdParams, Instant, isoDate, listOf, text } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { defineRoute, staffOnly } from '../http/route';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { notificationDeadline, notificationState } from './breach-deadline';

const BreachBody = z.strictObject({
  title: text(200),
  description: text(5000),
  // When the controller became aware: a past instant. A date far in the future would also put the
  // 72-hour deadline beyond year 9999, which no ISO 8601 date-time can express.
  awareAt: isoDate.refine((d) => d.getTime() <= Date.now() + 86_400_000, 'must not be in the future'),
  categories: z.array(text(100)).min(1).max(30),
  // integer columns
  approxSubjects: z.number().int().min(0).max(2_147_483_647),
  approxRecords: z.number().int().min(0).max(2_147_483_647),
  measures: text(5000),
  authorityNotifiedAt: isoDate.optional(),
  subjectsNotifiedAt: isoDate.optional(),
});
const UpdateBreachBody = z.strictObject({ authorityNotifiedAt: isoDate.optional(), subjectsNotifiedAt: isoDate.optional(), measures: text(5000).optional() })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
const BreachQuery = z.strictObject({ state: z.enum(['pending', 'overdue', 'notified', 'notified_late']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

const BreachView = z.object({
  id: z.uuid(), title: z.string(), description: z.string(), awareAt: Instant, categories: z.array(z.string()),
  approxSubjects: z.number().int(), approxRecords: z.number().int(), measures: z.string(),
  notificationDeadline: Instant.describe('awareAt + 72 hours (Art. 33(1))'),
  notificationState: z.enum(['pending', 'overdue', 'notified', 'notified_late']),
  authorityNotifiedAt: Instant.nullable(), subjectsNotifiedAt: Instant.nullable(),
  recordedById: z.string(), createdAt: Instant,
});

export function presentBreach(b: BreachRecord, now: Date) {
  return {
    id: b.id, title: b.title, description: b.description, awareAt: b.awareAt.toISOString(), categories: b.categories,
    approxSubjects: b.approxSubjects, approxRecords: b.approxRecords, measures: b.measures,
    notificationDeadline: notificationDeadline(b.awareAt).toISOString(), notificationState: notificationState(b, now),
    authorityNotifiedAt: b.authorityNotifiedAt?.toISOString() ?? null, subjectsNotifiedAt: b.subjectsNotifiedAt?.toISOString() ?? null,
    recordedById: b.recordedById, createdAt: b.createdAt.toISOString(),
  };
}

export const breachRoutes = [
  defineRoute({
    method: 'post', path: '/v1/breaches', tag: 'breaches', access: staffOnly('privacy_officer'), body: BreachBody,
    response: { status: 201, description: 'the recorded breach with its notification deadline', schema: BreachView },
    summary: 'Record a personal-data breach; the 72-hour notification deadline is computed from awareAt',
    async handler({ services, body, staff, requestId }) {
      const breach = await services.prisma.$transaction(async (tx) => {
        const created = await tx.breachRecord.create({ data: { ...body, recordedById: staff.id } });
        await emitWebhookEvent(tx, 'breach.recorded', { breachId: created.id, awareAt: created.awareAt.toISOString(), notificationDeadline: notificationDeadline(created.awareAt).toISOString() }, services.now());
        await services.audit.record({ actor: staff.actor, action: 'breach.record', resource: { type: 'breach', id: created.id }, requestId }, tx);
        return created;
      });
      return { status: 201, body: presentBreach(breach, services.now()) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/breaches', tag: 'breaches', access: staffOnly('privacy_officer', 'admin', 'auditor'), query: BreachQuery,
    response: { status: 200, description: 'the register, newest first', schema: listOf(BreachView) },
    summary: 'The breach register, newest first, with each notification deadline and state',
    async handler({ services, query }) {
      const now = services.now();
      const rows = await services.prisma.breachRecord.findMany({ orderBy: { awareAt: 'desc' }, take: query.state ? 1000 : query.limit });
      const items = rows.map((b) => presentBreach(b, now)).filter((b) => !query.state || b.notificationState === query.state).slice(0, query.limit);
      return { body: { items } };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/breaches/:id', tag: 'breaches', access: staffOnly('privacy_officer'), params: IdParams, body: UpdateBreachBody,
    response: { status: 200, description: 'the updated breach', schema: BreachView },
    summary: 'Record the notification of the authority or of the subjects, or update the measures',
    async handler({ services, params, body, staff, requestId }) {
      const exists = await services.prisma.breachRecord.count({ where: { id: params.id } });
      if (!exists) throw notFound('breach');
      const breach = await services.prisma.breachRecord.update({ where: { id: params.id }, data: body });
      await services.audit.record({ actor: staff.actor, action: 'breach.update', resource: { type: 'breach', id: breach.id }, requestId, details: { fields: Object.keys(body) } });
      return { body: presentBreach(breach, services.now()) };
    },
  }),
];
