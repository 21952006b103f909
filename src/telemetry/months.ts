/**
 * Calendar-month arithmetic in UTC for telemetry partitions and pseudonyms. A month is "YYYY-MM";
 * partition `telemetry_events_pYYYY_MM` holds [first instant of the month, first of the next).
 */

/** First instant (UTC) of the month `offset` months after the month of `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

export function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Every month from the month of `from` to the month of `to` inclusive, as "YYYY-MM" (UTC). */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  for (let at = monthStart(from); at.getTime() <= to.getTime(); at = monthStart(at, 1)) months.push(monthKey(at));
  return months;
}

export function parseMonthKey(month: string): Date {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new Error(`month must be YYYY-MM, got "${month}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

export const PARTITION_PREFIX = 'telemetry_events_p';
export const DEFAULT_PARTITION = 'telemetry_events_default';

export function partitionName(month: string): string {
  parseMonthKey(month);
  return `${PARTITION_PREFIX}${month.replace('-', '_')}`;
}

/** The month a partition of ours holds, or null for any other table name. */
export function partitionMonth(name: string): string | null {
  const match = /^telemetry_events_p(\d{4})_(\d{2})$/.exec(name);
  if (!match) return null;
  const month = `${match[1]}-${match[2]}`;
  try { parseMonthKey(month); } catch { return null; }
  return month;
}

export interface MonthRange { month: string; from: Date; to: Date }

export function monthRange(month: string): MonthRange {
  const from = parseMonthKey(month);
  return { month, from, to: monthStart(from, 1) };
}

/**
 * Months whose partitions may be dropped at `now`: every event in them is older than
 * `retentionMonths` months. Events are therefore kept at least that long and at most one month more.
 */
export function isExpired(month: string, now: Date, retentionMonths: number): boolean {
  return monthRange(month).to.getTime() <= retentionCutoff(now, retentionMonths).getTime();
}

/** The instant before which raw events are expired at `now`. */
export function retentionCutoff(now: Date, retentionMonths: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retentionMonths);
  return cutoff;
}
