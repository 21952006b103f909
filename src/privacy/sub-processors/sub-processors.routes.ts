import { z } from 'zod';
import { IdParams, Instant, text } from '../../http/common-schemas';
import { defineRoute, staffOnly } from '../../http/route';
import { listNotices } from '../../notices/send-notices';
import { DATA_CATEGORIES, type DataCategoryId } from '../register/catalogue';
import { changeSubProcessor } from './change-sub-processor';
import { currentSubProcessors, presentSubProcessor } from './sub-processor-register';

const CategoryId = z.enum(DATA_CATEGORIES.map((c) => c.id) as [DataCategoryId, ...DataCategoryId[]]);
const SubProcessorBody = z.strictObject({
  name: text(200), service: text(500), location: text(200),
  categories: z.array(CategoryId).min(1).max(DATA_CATEGORIES.length),
});
const UpdateSubProcessorBody = SubProcessorBody.partial().refine((b) => Object.keys(b).length > 0, 'send at least one field');
const ChangesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const MAINTAINERS = ['admin', 'privacy_officer'] as const;

const SubProcessorView = z.object({
  id: z.uuid(), name: z.string(), service: z.string(), location: z.string(), categories: z.array(CategoryId),
  createdAt: Instant, updatedAt: Instant, removedAt: Instant.nullable(),
});
const ChangeResult = z.object({
  subProcessor: SubProcessorView,
  change: z.object({ id: z.uuid(), kind: z.enum(['added', 'changed', 'removed']), at: Instant }),
  notices: z.object({ sent: z.number().int(), failed: z.number().int(), unreachable: z.number().int().describe('erased contacts: no address left') }),
});
const NoticeView = z.object({
  id: z.uuid(), kind: z.enum(['breach_subject', 'breach_customer', 'sub_processor_change']), status: z.enum(['sent', 'failed']), at: Instant,
  contactId: z.uuid().nullable().describe('null once the contact was erased'), customerId: z.uuid().nullable(),
});
const ChangeView = z.object({
  id: z.uuid(), subProcessorId: z.uuid(), kind: z.enum(['seeded', 'added', 'changed', 'removed']), at: Instant, byStaffId: z.uuid().nullable(),
  before: z.unknown(), after: z.unknown(), notices: z.array(NoticeView),
});

export const subProcessorRoutes = [
  defineRoute({
    method: 'get', path: '/v1/sub-processors', tag: 'privacy', access: staffOnly('admin', 'privacy_officer', 'auditor'),
    summary: 'The sub-processors in force (the register shows the same list publicly)',
    response: { status: 200, description: 'the sub-processors in force', schema: z.object({ items: z.array(SubProcessorView) }) },
    async handler({ services }) {
      return { body: { items: (await currentSubProcessors(services)).map(presentSubProcessor) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/sub-processors', tag: 'privacy', access: staffOnly(...MAINTAINERS), body: SubProcessorBody,
    summary: "Add a sub-processor; every running customer's contacts (management, IT, billing — or all) are told by e-mail",
    response: { status: 201, description: 'added, with the notices sent', schema: ChangeResult },
    async handler({ services, body, staff, requestId }) {
      return { status: 201, body: await changeSubProcessor(services, { kind: 'added', fields: body }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/sub-processors/:id', tag: 'privacy', access: staffOnly(...MAINTAINERS), params: IdParams, body: UpdateSubProcessorBody,
    summary: 'Change a sub-processor (name, service, location, data categories); customers are told',
    response: { status: 200, description: 'changed, with the notices sent', schema: ChangeResult },
    async handler({ services, params, body, staff, requestId }) {
      return { body: await changeSubProcessor(services, { kind: 'changed', id: params.id, fields: body }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/sub-processors/:id', tag: 'privacy', access: staffOnly(...MAINTAINERS), params: IdParams,
    summary: 'Remove a sub-processor from the register (its history stays); customers are told',
    response: { status: 200, description: 'removed, with the notices sent', schema: ChangeResult },
    async handler({ services, params, staff, requestId }) {
      return { body: await changeSubProcessor(services, { kind: 'removed', id: params.id }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/sub-processors/changes', tag: 'privacy', access: staffOnly('admin', 'privacy_officer', 'auditor'), query: ChangesQuery,
    summary: 'Changes to the sub-processor register, newest first, each with the notices sent (who was told when)',
    response: { status: 200, description: 'the changes, newest first', schema: z.object({ items: z.array(ChangeView) }) },
    async handler({ services, query }) {
      await currentSubProcessors(services);
      const changes = await services.prisma.subProcessorChange.findMany({ orderBy: { at: 'desc' }, take: query.limit });
      const items = [];
      for (const c of changes) {
        items.push({ id: c.id, subProcessorId: c.subProcessorId, kind: c.kind, at: c.at.toISOString(), byStaffId: c.byStaffId, before: c.before, after: c.after, notices: await listNotices(services, { subProcessorChangeId: c.id }) });
      }
      return { body: { items } };
    },
  }),
];
