/**
 * A data subject's telemetry, for access, portability and erasure (DESIGN §7). Events carry no
 * contact id: the subject's pseudonym of each month is recomputed with the telemetry key and the
 * events are found through the (pseudonym, at) index, each month's pseudonym within its month.
 */
import type { SubjectDataStore, SubjectScope } from '../privacy/subject-data';
import type { Services } from '../services';
import { monthRange, monthStart } from './months';
import { monthsBetween, telemetryPseudonym } from './pseudonym';
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

/** Rows per page of the stream: big enough that round trips are few, small enough that memory stays flat. */
const PAGE_ROWS = 5_000;

// One month's pseudonym within [from, to), after the last row seen: keyset on (at, id), which the
// (pseudonym, at) index serves in order — each page starts where the last one ended, however far in.
const PAGE_SQL = `
  SELECT e."id"::text AS "id", e."at" AT TIME ZONE 'UTC' AS "at", e."productId"::text AS "productId", e."type"::text AS "type", e."name",
         e."durationMs", e."appVersion", e."osVersion", e."props", e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt"
    FROM "telemetry_events" e
   WHERE e."pseudonym" = $1 AND e."at" >= $2::timestamp(3) AND e."at" < $3::timestamp(3)
     AND e."at" >= $4::timestamp(3) AND (e."at" > $4::timestamp(3) OR e."id" > $5::bigint)
   ORDER BY e."at", e."id"
   LIMIT $6`;

export interface SubjectTelemetryWindow { month: string; from: Date; to: Date }

/**
 * The subject's events in each window (a month, or part of one), in time order, read a page at a
 * time: memory holds one page whatever the subject's volume, and the connection goes back to the
 * pool between pages, so a slow reader of the stream holds none.
 */
export async function* streamSubjectTelemetry(
  services: Services, contactId: string, windows: SubjectTelemetryWindow[], pageRows = PAGE_ROWS,
): AsyncGenerator<SubjectTelemetryEvent & { month: string }> {
  for (const { month, from, to } of windows) {
    const pseudonym = telemetryPseudonym(services.config.secrets.telemetryKey, contactId, month);
    let after = { at: from.toISOString(), id: '-1' };
    for (;;) {
      const conn = await services.db.connect();
      let rows: (SubjectTelemetryEvent & { id: string })[];
      try {
        rows = await conn.query(PAGE_SQL, [pseudonym, from.toISOString(), to.toISOString(), after.at, after.id, pageRows]);
      } finally {
        await conn.release();
      }
      for (const { id: _id, ...event } of rows) yield { month, ...event };
      if (rows.length < pageRows) break;
      const last = rows[rows.length - 1];
      after = { at: last.at.toISOString(), id: last.id };
    }
  }
}

/** The windows of `months`, each month whole. */
export function monthWindows(months: string[]): SubjectTelemetryWindow[] {
  return months.map((month) => monthRange(month));
}

/** The subject's events within the range (by default every month raw events may be kept in), in time order. */
export async function listSubjectTelemetry(
  services: Services, contactId: string, range: { from?: Date; to?: Date } = {},
): Promise<SubjectTelemetryEvent[]> {
  const all = retainedMonths(services.now());
  const from = range.from ?? monthRange(all[0]).from;
  const to = range.to ?? monthRange(all[all.length - 1]).to;
  const windows = monthsBetween(from, new Date(to.getTime() - 1)).map((month) => {
    const whole = monthRange(month);
    return { month, from: whole.from < from ? from : whole.from, to: whole.to > to ? to : whole.to };
  });
  const events: SubjectTelemetryEvent[] = [];
  for await (const { month: _month, ...event } of streamSubjectTelemetry(services, contactId, windows)) events.push(event);
  return events;
}

export interface SubjectTelemetryErasure { events: number; months: number }

/** Deletes every raw event of the subject. Roll-ups hold no pseudonym and stay. Re-runnable. */
export async function eraseSubjectTelemetry(services: Services, contactId: string): Promise<SubjectTelemetryErasure> {
  const months = retainedMonths(services.now());
  const terms = monthTerms(services, contactId, months);
  const conn = await services.db.connect();
  try {
    const rows = await conn.query<{ month: string }>(
      `DELETE FROM "telemetry_events" e USING ${SUBJECT_MONTHS}
        WHERE e."pseudonym" = m.pseudonym AND e."at" >= m."from" AND e."at" < m."to"
        RETURNING to_char(e."at", 'YYYY-MM') AS month`,
      [terms.pseudonyms, terms.starts, terms.ends],
    );
    return { events: rows.length, months: new Set(rows.map((r) => r.month)).size };
  } finally {
    await conn.release();
  }
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
  async *export(services, scope) {
    for await (const e of streamSubjectTelemetry(services, scope.contactId, monthWindows(scope.telemetryMonths))) {
      yield { month: e.month, at: e.at.toISOString(), type: e.type, name: e.name, durationMs: e.durationMs, appVersion: e.appVersion, osVersion: e.osVersion, props: e.props };
    }
  },
  async erase(services, scope, tx) {
    const { events } = await eraseSubjectTelemetry(services, scope.contactId);
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
