/**
 * Legal deadlines of data-subject requests (GDPR Art. 12(3)), pure functions.
 *
 * A period in months ends on the same date of the last month, or on that month's last day when
 * it has no such date (EU Regulation 1182/71 Art. 3(2)(c)): received 31 January → due end of
 * February (28th, or 29th in a leap year). The period runs to the end of that day (UTC), so a
 * request is never overdue during its last day. Public holidays are not taken into account: the
 * deadline can only come earlier than the legal one, never later.
 *
 * The controller may extend by at most two further months, but only if the subject is told,
 * with the reasons, within the first month — hence an extension is refused after `dueAt`.
 */

/** The last millisecond of the calendar day (UTC) that lies `months` months after `from`. */
export function addCalendarMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDayOfTarget);
  return new Date(Date.UTC(year, month, day, 23, 59, 59, 999));
}

export const MAX_EXTENSION_MONTHS = 2;

export function initialDueAt(receivedAt: Date): Date {
  return addCalendarMonths(receivedAt, 1);
}

export interface DeadlineState {
  receivedAt: Date;
  dueAt: Date;
  extendedDueAt: Date | null;
}

/** The deadline in force: the extended one if there is one. */
export function effectiveDueAt(request: DeadlineState): Date {
  return request.extendedDueAt ?? request.dueAt;
}

export function isOverdue(request: DeadlineState & { closedAt?: Date | null }, now: Date): boolean {
  return !request.closedAt && effectiveDueAt(request).getTime() < now.getTime();
}

export type ExtensionDecision =
  | { ok: true; extendedDueAt: Date }
  | { ok: false; reason: 'first_deadline_passed' | 'beyond_two_months' | 'reason_required' | 'not_later' };

/**
 * Extends the deadline to `receivedAt + 1 + months` calendar months. Allowed only up to the
 * first deadline, with a reason, never beyond three months from receipt in total; a second
 * extension (e.g. first +1, then +2) is allowed within those bounds.
 */
export function decideExtension(request: DeadlineState, months: number, reason: string | null | undefined, now: Date): ExtensionDecision {
  if (!reason || !reason.trim()) return { ok: false, reason: 'reason_required' };
  if (now.getTime() > request.dueAt.getTime()) return { ok: false, reason: 'first_deadline_passed' };
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) return { ok: false, reason: 'beyond_two_months' };
  const extendedDueAt = addCalendarMonths(request.receivedAt, 1 + months);
  if (extendedDueAt.getTime() <= effectiveDueAt(request).getTime()) return { ok: false, reason: 'not_later' };
  return { ok: true, extendedDueAt };
}
