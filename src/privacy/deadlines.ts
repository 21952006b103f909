/**
 * Legal deadlines of data-subject requests (GDPR Art. 12(3)), pure functions.
 *
 * Counted in the controller's time zone (Europe/Brussels unless configured): a request received
 * at 23:30 in Brussels on 30 November was received on 30 November, whatever the UTC date.
 *
 * Two policies apply and the stricter wins: policy 001 promises an answer within one calendar
 * month, policy 003 within 30 days — `dueAt` is the earlier of the two.
 * - One month ends on the same date of the next month, or on that month's last day when it has
 *   no such date (EU Regulation 1182/71 Art. 3(2)(c)): received 31 January → 28 February.
 * - 30 days: the day of receipt is not counted (Art. 3(1)), so received 1 December → 31 December.
 * Both run to the end of the last day (local midnight), so a request is never overdue during its
 * last day. Public holidays are not taken into account: the deadline can only come earlier than
 * the legal one, never later.
 *
 * The controller may extend by at most two further months, but only if the subject is told,
 * with the reasons, within the first period — hence an extension is refused after `dueAt`.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Brussels';
export const MAX_DAYS = 30;
export const MAX_EXTENSION_MONTHS = 2;

interface LocalDate { year: number; month: number; day: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows (for the configuration). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month) - 1, day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The calendar date of `instant` in `timeZone` (month counted from 0, like Date). */
export function localDate(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds (whole seconds). */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the local day `date` starts (00:00 local). The offset is read twice: once
 * at a first guess, once at the corrected instant, which settles days on which the offset changes.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month, date.day);
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second = wall - offsetAt(new Date(first), timeZone);
  return new Date(second);
}

/** The last millisecond of the local day `date`: the next local midnight minus 1 ms. */
function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  const next = new Date(Date.UTC(date.year, date.month, date.day + 1));
  return new Date(startOfLocalDay({ year: next.getUTCFullYear(), month: next.getUTCMonth(), day: next.getUTCDate() }, timeZone).getTime() - 1);
}

/** The local date `months` calendar months after `from`, clamped to the last day of a shorter month. */
function plusMonths(from: LocalDate, months: number): LocalDate {
  const target = new Date(Date.UTC(from.year, from.month + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return { year: target.getUTCFullYear(), month: target.getUTCMonth(), day: Math.min(from.day, lastDay) };
}

function plusDays(from: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(from.year, from.month, from.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
}

/** The end (local midnight, minus 1 ms) of the day that lies `months` calendar months after `from`'s local date. */
export function addCalendarMonths(from: Date, months: number, timeZone: string): Date {
  return endOfLocalDay(plusMonths(localDate(from, timeZone), months), timeZone);
}

/** The end of the 30th day after the day of receipt, in the controller's time zone. */
export function addDays(from: Date, days: number, timeZone: string): Date {
  return endOfLocalDay(plusDays(localDate(from, timeZone), days), timeZone);
}

/** The first deadline: the earlier of one calendar month (policy 001) and 30 days (policy 003). */
export function initialDueAt(receivedAt: Date, timeZone: string): Date {
  const oneMonth = addCalendarMonths(receivedAt, 1, timeZone);
  const thirtyDays = addDays(receivedAt, MAX_DAYS, timeZone);
  return oneMonth.getTime() <= thirtyDays.getTime() ? oneMonth : thirtyDays;
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
 * Extends the deadline to `receivedAt + 1 + months` calendar months (in the controller's time
 * zone). Allowed only up to the first deadline, with a reason, never beyond three months from
 * receipt in total; a second extension (e.g. first +1, then +2) is allowed within those bounds.
 */
export function decideExtension(request: DeadlineState, months: number, reason: string | null | undefined, now: Date, timeZone: string): ExtensionDecision {
  if (!reason || !reason.trim()) return { ok: false, reason: 'reason_required' };
  if (now.getTime() > request.dueAt.getTime()) return { ok: false, reason: 'first_deadline_passed' };
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) return { ok: false, reason: 'beyond_two_months' };
  const extendedDueAt = addCalendarMonths(request.receivedAt, 1 + months, timeZone);
  if (extendedDueAt.getTime() <= effectiveDueAt(request).getTime()) return { ok: false, reason: 'not_later' };
  return { ok: true, extendedDueAt };
}
