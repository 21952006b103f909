/**
 * THE definition of the telemetry pseudonym (DESIGN §6): HMAC-SHA256(telemetryKey, subjectId ‖ "|" ‖ "YYYY-MM"),
 * hex. Stable within a calendar month (UTC), so monthly active users and sessions can be counted;
 * unlinkable across months without the key. Ingestion computes it for new events, and the
 * privacy module computes it for every month of a subject's life to export or erase their
 * events — both must use this one function, or erasure would miss events.
 */
import { createHmac } from 'node:crypto';

/** "YYYY-MM" of an instant, in UTC. */
export function telemetryMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function telemetryPseudonym(key: Buffer, subjectId: string, month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`month must be YYYY-MM, got "${month}"`);
  return createHmac('sha256', key).update(`${subjectId}|${month}`, 'utf8').digest('hex');
}

/** Every month from `from` to `to` inclusive, as "YYYY-MM" (UTC). */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const endKey = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (year * 12 + month <= endKey) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month += 1;
    if (month === 12) { month = 0; year += 1; }
  }
  return months;
}
