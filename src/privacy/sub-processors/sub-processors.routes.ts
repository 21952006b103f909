import { z } from 'zod';
import { IdParams, text } from '../../http/common-schemas';
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

export const subProcessorRoutes = [
  defineRoute({
    method: 'get', path: '/v1/sub-processors', tag: 'privacy', access: staffOnly('admin', 'privacy_officer', 'auditor'),
    summary: 'The sub-processors in force (the register shows the same list publicly)',
    async handler({ services }) {
      return { body: { items: (await currentSubProcessors(services)).map(presentSubProcessor) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/sub-processors', tag: 'privacy', access: staffOnly(...MAINTAINERS), body: SubProcessorBody,
    summary: "Add a sub-processor; every running customer's contacts (management, IT, billing — or all) are told by e-mail",
    response: { status: 201, description: 'added, with the notices sent' },
    async handler({ services, body, staff, requestId }) {
      return { status: 201, body: await changeSubProcessor(services, { kind: 'added', fields: body }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/sub-processors/:id', tag: 'privacy', access: staffOnly(...MAINTAINERS), params: IdParams, body: UpdateSubProcessorBody,
    summary: 'Change a sub-processor (name, service, location, data categories); customers are told',
    async handler({ services, params, body, staff, requestId }) {
      return { body: await changeSubProcessor(services, { kind: 'changed', id: params.id, fields: body }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/sub-processors/:id', tag: 'privacy', access: staffOnly(...MAINTAINERS), params: IdParams,
    summary: 'Remove a sub-processor from the register (its history stays); customers are told',
    async handler({ services, params, staff, requestId }) {
      return { body: await changeSubProcessor(services, { kind: 'removed', id: params.id }, staff.id, requestId) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/sub-processors/changes', tag: 'privacy', access: staffOnly('admin', 'privacy_officer', 'auditor'), query: ChangesQuery,
    summary: 'Changes to the sub-processor register, newest first, each with the notices sent (who was told when)',
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
