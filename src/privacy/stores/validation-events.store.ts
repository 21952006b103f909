/** Validation history of the subject's licences and devices. Owner to take over: issue 3 (src/validation). */
import type { SubjectDataStore } from '../subject-data';

const PAGE = 5_000;
const WHERE = `("licenceId" = ANY($1::uuid[]) OR "deviceId" = ANY($2::uuid[]))`;

interface Row { id: bigint; licenceId: string | null; deviceId: string | null; code: string; appVersion: string | null; osVersion: string | null; clientTime: Date | null; at: Date }

export const validationEventsStore: SubjectDataStore = {
  name: 'validation_events', category: 'validation_history', models: ['ValidationEvent'],
  async *export(services, scope) {
    if (scope.licenceIds.length === 0 && scope.deviceIds.length === 0) return;
    let after = 0n;
    for (;;) {
      // Keyset paging: memory stays flat however long the history is.
      const rows = await services.prisma.$queryRawUnsafe<Row[]>(
        `SELECT id, "licenceId", "deviceId", code::text AS code, "appVersion", "osVersion", "clientTime", at FROM validation_events
          WHERE ${WHERE} AND id > $3 ORDER BY id LIMIT ${PAGE}`, scope.licenceIds, scope.deviceIds, after);
      for (const r of rows) {
        yield { at: r.at.toISOString(), code: r.code, licenceId: r.licenceId, deviceId: r.deviceId, appVersion: r.appVersion, osVersion: r.osVersion, clientTime: r.clientTime?.toISOString() ?? null };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].id;
    }
  },
  async erase(_services, scope, tx) {
    if (scope.licenceIds.length === 0 && scope.deviceIds.length === 0) return 0;
    return tx.$executeRawUnsafe(`DELETE FROM validation_events WHERE ${WHERE}`, scope.licenceIds, scope.deviceIds);
  },
  async count(services, scope) {
    if (scope.licenceIds.length === 0 && scope.deviceIds.length === 0) return 0;
    const [{ n }] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM validation_events WHERE ${WHERE}`, scope.licenceIds, scope.deviceIds);
    return Number(n);
  },
};
