import { z } from 'zod';
import { IdParams } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { defineRoute, staffOnly } from '../http/route';
import { validationStats } from './validation-stats';

const StatsQuery = z.strictObject({ window: z.enum(['24h', '30d']).default('24h') });
const HistoryQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const ValidationStatsView = z.object({
  window: z.enum(['24h', '30d']), from: z.string(), to: z.string(), bucket: z.enum(['hour', 'day']),
  totals: z.record(z.string(), z.number()),
  buckets: z.array(z.object({ start: z.string(), counts: z.record(z.string(), z.number()) })),
});

const ValidationHistoryView = z.object({
  items: z.array(z.object({ id: z.string(), at: z.string(), code: z.string(), deviceId: z.string().nullable(), appVersion: z.string().nullable(), osVersion: z.string().nullable() })),
});

export const validationStatsRoutes = [
  defineRoute({
    method: 'get', path: '/v1/stats/validations', tag: 'validation', access: staffOnly('support', 'privacy_officer', 'admin', 'auditor'), query: StatsQuery,
    summary: 'Validations by result code over the last 24 hours (hourly) or 30 days (daily); counts only',
    response: { status: 200, description: 'counts by code', schema: ValidationStatsView },
    async handler({ services, query }) {
      return { body: await validationStats(services, query.window) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/licences/:id/validations', tag: 'validation', access: staffOnly('support', 'admin', 'privacy_officer'), params: IdParams, query: HistoryQuery,
    summary: "A licence's most recent validations (result code, device, app and OS version; audited as a read of the holder's data)",
    response: { status: 200, description: 'newest first', schema: ValidationHistoryView }, readsPersonalData: true,
    async handler({ services, params, query, staff, purpose, requestId }) {
      const licence = await services.prisma.licence.findUnique({ where: { id: params.id }, select: { id: true, holderId: true } });
      if (!licence) throw notFound('licence');
      const events = await services.prisma.validationEvent.findMany({ where: { licenceId: licence.id }, orderBy: { at: 'desc' }, take: query.limit });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'licence.validations.read', subjectId: licence.holderId, resource: { type: 'licence', id: licence.id }, purpose, requestId });
      return {
        body: { items: events.map((e) => ({ id: String(e.id), at: e.at.toISOString(), code: e.code, deviceId: e.deviceId, appVersion: e.appVersion, osVersion: e.osVersion })) },
      };
    },
  }),
];
