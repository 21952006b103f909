import { addCalendarMonths, addDays, decideExtension, effectiveDueAt, initialDueAt, isKnownTimeZone, isOverdue, startOfLocalDay } from '../../src/privacy/deadlines';

const d = (iso: string) => new Date(iso);
const BXL = 'Europe/Brussels';
const due = (iso: string, tz = BXL) => initialDueAt(d(iso), tz).toISOString();
/** The local (Brussels) calendar date of an instant. */
const day = (date: Date) => date.toLocaleDateString('en-CA', { timeZone: BXL });

describe('request deadlines, in the controller’s time zone', () => {
  it('counts from the Brussels date of receipt, not the UTC date: 23:30 on 30 November → end of 30 December in Brussels', () => {
    // 22:30 UTC is 23:30 in Brussels (CET, UTC+1): still 30 November. Both periods end on 30 December.
    expect(due('2026-11-30T22:30:00Z')).toBe('2026-12-30T22:59:59.999Z');
    // 23:30 UTC is already 1 December in Brussels: one month → 1 January, 30 days → 31 December; the earlier wins.
    expect(due('2026-11-30T23:30:00Z')).toBe('2026-12-31T22:59:59.999Z');
    // Just after midnight in summer time (UTC+2): 1 July → 30 days end on 31 July.
    expect(due('2026-06-30T22:30:00Z')).toBe('2026-07-31T21:59:59.999Z');
  });

  it('is the earlier of one calendar month (policy 001) and 30 days (policy 003)', () => {
    // 15 March: one month → 15 April, 30 days → 14 April (a 31-day month makes 30 days the stricter).
    expect(due('2026-03-15T09:30:00Z')).toBe('2026-04-14T21:59:59.999Z');
    // 31 December: one month → 31 January, 30 days → 30 January.
    expect(day(initialDueAt(d('2026-12-31T10:00:00Z'), BXL))).toBe('2027-01-30');
    // 1 February: one month → 1 March, 30 days → 3 March: here the month is the stricter.
    expect(day(initialDueAt(d('2026-02-01T10:00:00Z'), BXL))).toBe('2026-03-01');
  });

  it('ends a month on the last day of a shorter month: 31 January → 28 February (29 in a leap year)', () => {
    expect(day(initialDueAt(d('2026-01-31T10:00:00Z'), BXL))).toBe('2026-02-28');
    expect(day(initialDueAt(d('2028-01-31T10:00:00Z'), BXL))).toBe('2028-02-29');
    // 29 January 2028: one month → 29 February, but 30 days → 28 February.
    expect(day(initialDueAt(d('2028-01-29T10:00:00Z'), BXL))).toBe('2028-02-28');
    expect(day(initialDueAt(d('2026-03-31T10:00:00Z'), BXL))).toBe('2026-04-30');
    expect(day(initialDueAt(d('2026-08-31T10:00:00Z'), BXL))).toBe('2026-09-30');
    expect(day(addCalendarMonths(d('2026-11-30T00:00:00Z'), 3, BXL))).toBe('2027-02-28');
  });

  it('ends at local midnight across daylight-saving changes', () => {
    // 29 March 2026 has 23 hours in Brussels (02:00 → 03:00): its end is 00:00 CEST on the 30th = 21:59:59.999Z.
    expect(addDays(d('2026-02-27T12:00:00Z'), 30, BXL).toISOString()).toBe('2026-03-29T21:59:59.999Z');
    // 25 October 2026 has 25 hours (03:00 → 02:00): its end is 00:00 CET on the 26th = 23:00Z on the 25th.
    expect(due('2026-09-25T12:00:00Z')).toBe('2026-10-25T22:59:59.999Z');
    // Received in winter time, due in summer time.
    expect(due('2026-03-01T09:00:00Z')).toBe('2026-03-31T21:59:59.999Z');
    expect(startOfLocalDay({ year: 2026, month: 2, day: 29 }, BXL).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay({ year: 2026, month: 2, day: 30 }, BXL).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDay({ year: 2026, month: 9, day: 26 }, BXL).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('counts in another configured time zone', () => {
    // 22:30 UTC on 30 November is 17:30 in New York: due at the end of 30 December there (UTC−5).
    expect(due('2026-11-30T22:30:00Z', 'America/New_York')).toBe('2026-12-31T04:59:59.999Z');
    expect(due('2026-11-30T22:30:00Z', 'UTC')).toBe('2026-12-30T23:59:59.999Z');
    expect(isKnownTimeZone('Europe/Brussels')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('is not overdue during its last (Brussels) day, and is once that day is over', () => {
    const receivedAt = d('2026-01-31T10:00:00Z');
    const request = { receivedAt, dueAt: initialDueAt(receivedAt, BXL), extendedDueAt: null };
    expect(isOverdue(request, d('2026-02-28T22:30:00Z'))).toBe(false);
    expect(isOverdue(request, d('2026-02-28T23:00:00Z'))).toBe(true);
    expect(isOverdue({ ...request, closedAt: d('2026-02-10T00:00:00Z') }, d('2026-05-01T00:00:00Z'))).toBe(false);
  });

  describe('extension', () => {
    const receivedAt = d('2026-01-31T10:00:00Z');
    const request = { receivedAt, dueAt: initialDueAt(receivedAt, BXL), extendedDueAt: null };

    it('extends by two further months counted from receipt (31 January → 30 April, end of day in Brussels)', () => {
      const decision = decideExtension(request, 2, 'many systems to search', d('2026-02-20T00:00:00Z'), BXL);
      expect(decision.ok && decision.extendedDueAt.toISOString()).toBe('2026-04-30T21:59:59.999Z');
    });

    it('extends by one month (→ 31 March), and then once more up to the two-month limit', () => {
      const first = decideExtension(request, 1, 'volume', d('2026-02-01T00:00:00Z'), BXL);
      expect(first.ok && day(first.extendedDueAt)).toBe('2026-03-31');
      const extended = { ...request, extendedDueAt: first.ok ? first.extendedDueAt : null };
      const second = decideExtension(extended, 2, 'still more', d('2026-02-10T00:00:00Z'), BXL);
      expect(second.ok && day(second.extendedDueAt)).toBe('2026-04-30');
      expect(day(effectiveDueAt({ ...extended, extendedDueAt: second.ok ? second.extendedDueAt : null }))).toBe('2026-04-30');
      expect(decideExtension({ ...extended }, 1, 'again', d('2026-02-10T00:00:00Z'), BXL)).toEqual({ ok: false, reason: 'not_later' });
    });

    it('refuses more than two months, a missing reason, and any extension after the first deadline', () => {
      expect(decideExtension(request, 3, 'too long', d('2026-02-01T00:00:00Z'), BXL)).toEqual({ ok: false, reason: 'beyond_two_months' });
      expect(decideExtension(request, 2, '  ', d('2026-02-01T00:00:00Z'), BXL)).toEqual({ ok: false, reason: 'reason_required' });
      expect(decideExtension(request, 2, 'late', d('2026-03-01T00:00:00Z'), BXL)).toEqual({ ok: false, reason: 'first_deadline_passed' });
      // The last Brussels day of the first period runs until 22:59:59.999Z.
      expect(decideExtension(request, 2, 'last day', d('2026-02-28T22:30:00Z'), BXL).ok).toBe(true);
      expect(decideExtension(request, 2, 'too late', d('2026-02-28T23:00:00Z'), BXL)).toEqual({ ok: false, reason: 'first_deadline_passed' });
    });

    it('handles a leap-year February receipt (29 February 2028 → 29 March, extended to 29 May)', () => {
      const leap = { receivedAt: d('2028-02-29T08:00:00Z'), dueAt: initialDueAt(d('2028-02-29T08:00:00Z'), BXL), extendedDueAt: null };
      expect(day(leap.dueAt)).toBe('2028-03-29');
      const decision = decideExtension(leap, 2, 'complex', d('2028-03-01T00:00:00Z'), BXL);
      expect(decision.ok && day(decision.extendedDueAt)).toBe('2028-05-29');
    });
  });
});
