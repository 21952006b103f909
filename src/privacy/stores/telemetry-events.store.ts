/**
 * Pseudonymised telemetry, found through the subject's monthly pseudonyms
 * (src/telemetry/pseudonym.ts). Export and erasure go through the telemetry module's own
 * functions (listSubjectTelemetry, eraseSubjectTelemetry: each month's pseudonym within its
 * month, on the partitioned table). `count` — the verification after erasure — looks wider on
 * purpose: every month of the subject's life, at any time, so an event filed under an
 * unexpected month still fails the verification; the erasure then removes those too.
 */
import { listSubjectTelemetry, eraseSubjectTelemetry } from '../../telemetry/subject-telemetry';
import { monthRange } from '../../telemetry/months';
import { telemetryPseudonym } from '../../telemetry/pseudonym';
import type { Services } from '../../services';
import type { SubjectDataStore, SubjectScope } from '../subject-data';

function pseudonyms(services: Services, scope: SubjectScope): string[] {
  return scope.telemetryMonths.map((month) => telemetryPseudonym(services.config.secrets.telemetryKey, scope.contactId, month));
}

export const telemetryEventsStore: SubjectDataStore = {
  name: 'telemetry_events', category: 'usage_telemetry', models: ['TelemetryEvent'],
  async *export(services, scope) {
    // A month at a time: memory is bounded by one month of one subject's events.
    for (const month of scope.telemetryMonths) {
      const { from, to } = monthRange(month);
      for (const e of await listSubjectTelemetry(services, scope.contactId, { from, to })) {
        yield { month, at: e.at.toISOString(), type: e.type, name: e.name, durationMs: e.durationMs, appVersion: e.appVersion, osVersion: e.osVersion, props: e.props };
      }
    }
  },
  async erase(services, scope, tx) {
    const { events } = await eraseSubjectTelemetry(services, scope.contactId);
    const list = pseudonyms(services, scope);
    const stray = list.length ? await tx.$executeRawUnsafe(`DELETE FROM telemetry_events WHERE pseudonym = ANY($1::text[])`, list) : 0;
    return events + stray;
  },
  async count(services, scope) {
    const list = pseudonyms(services, scope);
    if (list.length === 0) return 0;
    const [{ n }] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM telemetry_events WHERE pseudonym = ANY($1::text[])`, list);
    return Number(n);
  },
};
