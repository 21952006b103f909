/**
 * THE definition of the telemetry pseudonym (docs/architecture.md §6): HMAC-SHA256(telemetryKey, subjectId ‖ "|" ‖ "YYYY-MM"),
 * hex. Stable within a calendar month (UTC), so monthly active users and sessions can be counted;
 * unlinkable across months without the key. Ingestion computes it for new events, and the
 * privacy module computes it for every month of a subject's life to export or erase their
 * events — both must use this one function, or erasure would miss events.
 */
import { createHmac } from 'node:crypto';
import { parseMonthKey } from './months';

// Month arithmetic lives in months.ts; re-exported under the names callers already use.
export { monthKey as telemetryMonth, monthsBetween } from './months';

export function telemetryPseudonym(key: Buffer, subjectId: string, month: string): string {
  parseMonthKey(month);
  return createHmac('sha256', key).update(`${subjectId}|${month}`, 'utf8').digest('hex');
}
