/**
 * A data subject's telemetry, for access, portability and erasure (DESIGN §7). Events carry no
 * contact id: the subject's pseudonym of each month is recomputed with the telemetry key and the
 * events are found through the (pseudonym, at) index, each month's pseudonym within its month.
 */
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
