/**
 * The breach register (Art. 33(5)): every breach is recorded, notified or not, with the facts,
 * effects and measures. Staff must describe categories and counts, not people: the register holds
 * no subject's personal data — affected subjects and customers are named by id only. Recording
 * a breach, or changing its risk or affected parties, sends the notices at once
 * (src/breaches/notify-breach.ts); GET …/notices shows who was told when.
 */
import { z } from 'zod';
import type { BreachRecord } from '../generated/prisma/client';
import { IdParams, Instant, isoDate, listOf, text } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { defineRoute, staffOnly } from '../http/route';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { listNotices } from '../notices/send-notices';
import type { Services } from '../services';
import { addAffected } from './breach-affected';
import { notificationDeadline, notificationState } from './breach-deadline';
import { notifyBreach } from './notify-breach';

const Ids = z.array(z.uuid()).max(10_000);
const Risk = z.enum(['low', 'high']);

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
  /** the privacy officer's assessment of the risk to the persons; "high" notifies them (Art. 34) */
  risk: Risk.optional(),
  affectedSubjectIds: Ids.optional(),
  affectedCustomerIds: Ids.optional(),
});
const UpdateBreachBody = z.strictObject({
  authorityNotifiedAt: isoDate.optional(), subjectsNotifiedAt: isoDate.optional(), measures: text(5000).optional(),
  risk: Risk.optional(), affectedSubjectIds: Ids.optional(), affectedCustomerIds: Ids.optional(),
})
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
const BreachQuery = z.strictObject({ state: z.enum(['pending', 'overdue', 'notified', 'notified_late']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

const BreachView = z.object({
  id: z.uuid(), title: z.string(), description: z.string(), awareAt: Instant, categories: z.array(z.string()),
  approxSubjects: z.number().int(), approxRecords: z.number().int(), measures: z.string(),
  notificationDeadline: Instant.describe('awareAt + 72 hours (Art. 33(1))'),
  notificationState: z.enum(['pending', 'overdue', 'notified', 'notified_late']),
  authorityNotifiedAt: Instant.nullable(), subjectsNotifiedAt: Instant.nullable(),
  recordedById: z.string(), createdAt: Instant, risk: Risk.nullable().describe('the privacy officer’s assessment; high notifies the affected subjects'),
});
const BreachWithParties = BreachView.extend({ affectedSubjectIds: z.array(z.uuid()), affectedCustomerIds: z.array(z.uuid()) });
const NoticeCounts = z.object({ sent: z.number().int(), failed: z.number().int(), unreachable: z.number().int().describe('erased contacts: no address left') });
const BreachWithNotices = BreachWithParties.extend({ notices: z.object({ subjects: NoticeCounts, customers: NoticeCounts }) });
const NoticeView = z.object({
  id: z.uuid(), kind: z.enum(['breach_subject', 'breach_customer', 'sub_processor_change']), status: z.enum(['sent', 'failed']), at: Instant,
  contactId: z.uuid().nullable().describe('null once the contact was erased'), customerId: z.uuid().nullable(),
});

export function presentBreach(b: BreachRecord, now: Date) {
  return {
    id: b.id, title: b.title, description: b.description, awareAt: b.awareAt.toISOString(), categories: b.categories,
    approxSubjects: b.approxSubjects, approxRecords: b.approxRecords, measures: b.measures,
    notificationDeadline: notificationDeadline(b.awareAt).toISOString(), notificationState: notificationState(b, now),
    authorityNotifiedAt: b.authorityNotifiedAt?.toISOString() ?? null, subjectsNotifiedAt: b.subjectsNotifiedAt?.toISOString() ?? null,
    recordedById: b.recordedById, createdAt: b.createdAt.toISOString(), risk: b.risk,
  };
}

async function presentWithParties(services: Services, b: BreachRecord) {
  const [subjects, customers] = await Promise.all([
    services.prisma.breachAffectedSubject.findMany({ where: { breachId: b.id }, select: { contactId: true } }),
    services.prisma.breachAffectedCustomer.findMany({ where: { breachId: b.id }, select: { customerId: true } }),
  ]);
  return { ...presentBreach(b, services.now()), affectedSubjectIds: subjects.map((s) => s.contactId), affectedCustomerIds: customers.map((c) => c.customerId) };
}

export const breachRoutes = [
  defineRoute({
    method: 'post', path: '/v1/breaches', tag: 'breaches', access: staffOnly('privacy_officer'), body: BreachBody,
    response: { status: 201, description: 'the recorded breach with its notification deadline, affected parties and the notices sent', schema: BreachWithNotices },
    summary: 'Record a personal-data breach; the 72-hour notification deadline is computed from awareAt. Affected customers '
      + '(and the customers of affected subjects) are told by e-mail at once, affected subjects too when `risk` is high',
    problems: ['UNPROCESSABLE'],
    async handler({ services, body, staff, requestId }) {
      const { affectedSubjectIds, affectedCustomerIds, ...fields } = body;
      const breach = await services.prisma.$transaction(async (tx) => {
        const created = await tx.breachRecord.create({ data: { ...fields, recordedById: staff.id } });
        await addAffected(tx, created.id, { affectedSubjectIds, affectedCustomerIds });
        await emitWebhookEvent(tx, 'breach.recorded', { breachId: created.id, awareAt: created.awareAt.toISOString(), notificationDeadline: notificationDeadline(created.awareAt).toISOString() }, services.now());
        await services.audit.record({ actor: staff.actor, action: 'breach.record', resource: { type: 'breach', id: created.id }, requestId }, tx);
        return created;
      });
      const notices = await notifyBreach(services, breach.id);
      const current = await services.prisma.breachRecord.findUniqueOrThrow({ where: { id: breach.id } });
      return { status: 201, body: { ...(await presentWithParties(services, current)), notices } };
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
    response: { status: 200, description: 'the updated breach, with the notices this change sent', schema: BreachWithNotices },
    summary: 'Record the notification of the authority or of the subjects, update the measures or the risk, or add affected '
      + 'subjects and customers (those not yet told are told at once)',
    problems: ['UNPROCESSABLE'],
    async handler({ services, params, body, staff, requestId }) {
      const exists = await services.prisma.breachRecord.count({ where: { id: params.id } });
      if (!exists) throw notFound('breach');
      const { affectedSubjectIds, affectedCustomerIds, ...fields } = body;
      await services.prisma.$transaction(async (tx) => {
        await tx.breachRecord.update({ where: { id: params.id }, data: fields });
        await addAffected(tx, params.id, { affectedSubjectIds, affectedCustomerIds });
        await services.audit.record({ actor: staff.actor, action: 'breach.update', resource: { type: 'breach', id: params.id }, requestId, details: { fields: Object.keys(body) } }, tx);
      });
      const notices = await notifyBreach(services, params.id);
      const breach = await services.prisma.breachRecord.findUniqueOrThrow({ where: { id: params.id } });
      return { body: { ...(await presentWithParties(services, breach)), notices } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/breaches/:id/notices', tag: 'breaches', access: staffOnly('privacy_officer', 'auditor'), params: IdParams,
    summary: 'Who was told of a breach and when: one entry per notice (subject or customer contact, by id), sent or failed',
    response: { status: 200, description: 'the breach and its notices', schema: z.object({ breach: BreachWithParties, items: z.array(NoticeView) }) },
    async handler({ services, params }) {
      const breach = await services.prisma.breachRecord.findUnique({ where: { id: params.id } });
      if (!breach) throw notFound('breach');
      return { body: { breach: await presentWithParties(services, breach), items: await listNotices(services, { breachId: params.id }) } };
    },
  }),
];
