/**
 * A data subject's telemetry, for access, portability and erasure (docs/architecture.md §7). Events carry no
 * contact id: the subject's pseudonym of each month is recomputed with the telemetry key and the
 * events are found through the (pseudonym, at) index, each month's pseudonym within its month.
 */
import type { Tx } from '../db/transactions';
import type { SubjectDataStore, SubjectScope } from '../privacy/subject-data';
import type { Services } from '../services';
import { monthRange, monthsBetween, monthStart } from './months';
import { telemetryPseudonym } from './pseudonym';
import { DEFAULT_TELEMETRY_RETENTION_MONTHS } from './expire-telemetry';

export interface SubjectTelemetryEvent {
  at: Date;
  productId: string;
  type: string;
  name: string;
  durationMs: number | null;
  appVersion: string | null;
  osVersion: string | null;
  props: unknown;
  receivedAt: Date;
}

/** The months a subject's raw events can be in: the retention period, a month of slack, and next month (clock skew). */
function retainedMonths(now: Date): string[] {
  return monthsBetween(monthStart(now, -(DEFAULT_TELEMETRY_RETENTION_MONTHS + 1)), monthStart(now, 1));
}

function monthTerms(services: Services, contactId: string, months: string[]) {
  return {
    pseudonyms: months.map((m) => telemetryPseudonym(services.config.secrets.telemetryKey, contactId, m)),
    starts: months.map((m) => monthRange(m).from.toISOString()),
    ends: months.map((m) => monthRange(m).to.toISOString()),
  };
}

// Timestamps are UTC wall-clock (Prisma's convention); AT TIME ZONE 'UTC' reads them back as instants
// whatever the session or process time zone.
// unnest pairs each month's pseudonym with its month, so a pseudonym is only looked for where it can be.
const SUBJECT_MONTHS = `unnest($1::text[], $2::timestamp(3)[], $3::timestamp(3)[]) AS m(pseudonym, "from", "to")`;

export async function listSubjectTelemetry(
  services: Services, contactId: string, range: { from?: Date; to?: Date } = {},
): Promise<SubjectTelemetryEvent[]> {
  const now = services.now();
  const all = retainedMonths(now);
  const from = range.from ?? monthRange(all[0]).from;
  const to = range.to ?? monthRange(all[all.length - 1]).to;
  const months = monthsBetween(from, new Date(to.getTime() - 1));
  if (months.length === 0) return [];
  const terms = monthTerms(services, contactId, months);
  const conn = await services.db.connect();
  try {
    return await conn.query<SubjectTelemetryEvent>(
      `SELECT e."at" AT TIME ZONE 'UTC' AS "at", e."productId"::text AS "productId", e."type"::text AS "type", e."name", e."durationMs",
              e."appVersion", e."osVersion", e."props", e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt"
         FROM ${SUBJECT_MONTHS}
         JOIN "telemetry_events" e ON e."pseudonym" = m.pseudonym AND e."at" >= m."from" AND e."at" < m."to"
        WHERE e."at" >= $4::timestamp(3) AND e."at" < $5::timestamp(3)
        ORDER BY e."at", e."id"`,
      [terms.pseudonyms, terms.starts, terms.ends, from.toISOString(), to.toISOString()],
    );
  } finally {
    await conn.release();
  }
}

/** One event as the subject's export shows it: the month of its pseudonym, the time as ISO 8601 (UTC). */
export type SubjectTelemetryExportItem = {
  month: string;
  at: string;
  type: string;
  name: string;
  durationMs: number | null;
  appVersion: string | null;
  osVersion: string | null;
  props: unknown;
};

/** Rows per page: big enough that round trips are few, small enough that memory stays flat. */
const PAGE_ROWS = 5_000;

// One month's pseudonym within its month, after the last row seen: keyset on (at, id), so each page
// starts where the last one ended, rows sharing a timestamp included. Only what the export shows is
// read, and the time comes as text (ISO 8601, as toISOString writes it), so no date is parsed only
// to be printed again.
const EXPORT_PAGE_SQL = `
  SELECT e."id"::text AS "id", to_char(e."at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at", e."type"::text AS "type", e."name",
         e."durationMs", e."appVersion", e."osVersion", e."props"
    FROM "telemetry_events" e
   WHERE e."pseudonym" = $1 AND e."at" >= $2::timestamp(3) AND e."at" < $3::timestamp(3)
     AND e."at" >= $4::timestamp(3) AND (e."at" > $4::timestamp(3) OR e."id" > $5::bigint)
   ORDER BY e."at", e."id"
   LIMIT $6`;

interface ExportRow { id: string; at: string; type: string; name: string; durationMs: number | null; appVersion: string | null; osVersion: string | null; props: unknown }

/**
 * The subject's events of each month, in time order, for the export: read a page at a time, so
 * memory holds one page whatever the subject's volume, and the connection goes back to the pool
 * between pages, so a slow reader of the stream holds none.
 */
export async function* streamSubjectTelemetry(
  services: Services, contactId: string, months: string[], pageRows = PAGE_ROWS,
): AsyncGenerator<SubjectTelemetryExportItem> {
  for (const month of months) {
    const { from, to } = monthRange(month);
    const pseudonym = telemetryPseudonym(services.config.secrets.telemetryKey, contactId, month);
    let after = { at: from.toISOString(), id: '-1' };
    for (;;) {
      const conn = await services.db.connect();
      let rows: ExportRow[];
      try {
        rows = await conn.query<ExportRow>(EXPORT_PAGE_SQL, [pseudonym, from.toISOString(), to.toISOString(), after.at, after.id, pageRows]);
      } finally {
        await conn.release();
      }
      for (const r of rows) {
        yield { month, at: r.at, type: r.type, name: r.name, durationMs: r.durationMs, appVersion: r.appVersion, osVersion: r.osVersion, props: r.props };
      }
      if (rows.length < pageRows) break;
      after = { at: rows[rows.length - 1].at, id: rows[rows.length - 1].id };
    }
  }
}

export interface SubjectTelemetryErasure { events: number; months: number }

/**
 * Deletes every raw event of the subject. Roll-ups hold no pseudonym and stay. Re-runnable.
 * Runs inside the caller's transaction (`tx`), or in one of its own.
 */
export async function eraseSubjectTelemetry(services: Services, contactId: string, tx?: Tx): Promise<SubjectTelemetryErasure> {
  if (!tx) return services.prisma.$transaction((own) => eraseSubjectTelemetry(services, contactId, own));
  const months = retainedMonths(services.now());
  const terms = monthTerms(services, contactId, months);
  const rows = await tx.$queryRawUnsafe<{ month: string }[]>(
    `DELETE FROM "telemetry_events" e USING ${SUBJECT_MONTHS}
      WHERE e."pseudonym" = m.pseudonym AND e."at" >= m."from" AND e."at" < m."to"
      RETURNING to_char(e."at", 'YYYY-MM') AS month`,
    terms.pseudonyms, terms.starts, terms.ends,
  );
  return { events: rows.length, months: new Set(rows.map((r) => r.month)).size };
}

/** The subject's pseudonym of every month of the scope. */
function scopePseudonyms(services: Services, scope: SubjectScope): string[] {
  return scope.telemetryMonths.map((month) => telemetryPseudonym(services.config.secrets.telemetryKey, scope.contactId, month));
}

/**
 * The telemetry module's store for the privacy export and erasure (registered in
 * src/privacy/stores/index.ts). The export streams every month of the subject's life; the erasure
 * deletes each retained month's pseudonym within its month. `count` — the verification after
 * erasure — looks wider on purpose: every month of the subject's life, at any time, so an event
 * filed under an unexpected month still fails the verification; the erasure then removes those too.
 */
export const telemetryEventsStore: SubjectDataStore = {
  name: 'telemetry_events', category: 'usage_telemetry', models: ['TelemetryEvent'],
  export: (services, scope) => streamSubjectTelemetry(services, scope.contactId, scope.telemetryMonths),
  async erase(services, scope, tx) {
    const { events } = await eraseSubjectTelemetry(services, scope.contactId, tx);
    const list = scopePseudonyms(services, scope);
    const stray = list.length ? await tx.$executeRawUnsafe(`DELETE FROM telemetry_events WHERE pseudonym = ANY($1::text[])`, list) : 0;
    return events + stray;
  },
  async count(services, scope) {
    const list = scopePseudonyms(services, scope);
    if (list.length === 0) return 0;
    const [{ n }] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM telemetry_events WHERE pseudonym = ANY($1::text[])`, list);
    return Number(n);
  },
};
