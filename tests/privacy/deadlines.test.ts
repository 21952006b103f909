import { addCalendarMonths, decideExtension, effectiveDueAt, initialDueAt, isOverdue } from '../../src/privacy/deadlines';

const d = (iso: string) => new Date(iso);
const day = (date: Date) => date.toISOString().slice(0, 10);

describe('request deadlines', () => {
  it('falls on the same date next month, at the end of that day', () => {
    expect(initialDueAt(d('2026-03-15T09:30:00Z')).toISOString()).toBe('2026-04-15T23:59:59.999Z');
  });

  it('ends on the last day of a shorter month: 31 January → 28 February, 29 in a leap year', () => {
    expect(day(initialDueAt(d('2026-01-31T10:00:00Z')))).toBe('2026-02-28');
    expect(day(initialDueAt(d('2028-01-31T10:00:00Z')))).toBe('2028-02-29');
    expect(day(initialDueAt(d('2028-01-29T10:00:00Z')))).toBe('2028-02-29');
    expect(day(initialDueAt(d('2026-01-29T10:00:00Z')))).toBe('2026-02-28');
    expect(day(initialDueAt(d('2026-03-31T10:00:00Z')))).toBe('2026-04-30');
    expect(day(initialDueAt(d('2026-08-31T10:00:00Z')))).toBe('2026-09-30');
  });

  it('crosses the year end', () => {
    expect(day(initialDueAt(d('2026-12-31T23:00:00Z')))).toBe('2027-01-31');
    expect(day(addCalendarMonths(d('2026-11-30T00:00:00Z'), 3))).toBe('2027-02-28');
  });

  it('is not overdue during its last day, and is once that day is over', () => {
    const request = { receivedAt: d('2026-01-31T10:00:00Z'), dueAt: initialDueAt(d('2026-01-31T10:00:00Z')), extendedDueAt: null };
    expect(isOverdue(request, d('2026-02-28T23:00:00Z'))).toBe(false);
    expect(isOverdue(request, d('2026-03-01T00:00:00Z'))).toBe(true);
    expect(isOverdue({ ...request, closedAt: d('2026-02-10T00:00:00Z') }, d('2026-05-01T00:00:00Z'))).toBe(false);
  });

  describe('extension', () => {
    const receivedAt = d('2026-01-31T10:00:00Z');
    const request = { receivedAt, dueAt: initialDueAt(receivedAt), extendedDueAt: null };

    it('extends by two further months counted from receipt (31 January → 30 April)', () => {
      const decision = decideExtension(request, 2, 'many systems to search', d('2026-02-20T00:00:00Z'));
      expect(decision.ok && day(decision.extendedDueAt)).toBe('2026-04-30');
    });

    it('extends by one month (→ 31 March), and then once more up to the two-month limit', () => {
      const first = decideExtension(request, 1, 'volume', d('2026-02-01T00:00:00Z'));
      expect(first.ok && day(first.extendedDueAt)).toBe('2026-03-31');
      const extended = { ...request, extendedDueAt: first.ok ? first.extendedDueAt : null };
      const second = decideExtension(extended, 2, 'still more', d('2026-02-10T00:00:00Z'));
      expect(second.ok && day(second.extendedDueAt)).toBe('2026-04-30');
      expect(day(effectiveDueAt({ ...extended, extendedDueAt: second.ok ? second.extendedDueAt : null }))).toBe('2026-04-30');
      expect(decideExtension({ ...extended }, 1, 'again', d('2026-02-10T00:00:00Z'))).toEqual({ ok: false, reason: 'not_later' });
    });

    it('refuses more than two months, a missing reason, and any extension after the first deadline', () => {
      expect(decideExtension(request, 3, 'too long', d('2026-02-01T00:00:00Z'))).toEqual({ ok: false, reason: 'beyond_two_months' });
      expect(decideExtension(request, 2, '  ', d('2026-02-01T00:00:00Z'))).toEqual({ ok: false, reason: 'reason_required' });
      expect(decideExtension(request, 2, 'late', d('2026-03-01T00:00:00Z'))).toEqual({ ok: false, reason: 'first_deadline_passed' });
      expect(decideExtension(request, 2, 'last day', d('2026-02-28T22:00:00Z')).ok).toBe(true);
    });

    it('handles a leap-year February receipt (29 February 2028 → 29 March, extended to 29 May)', () => {
      const leap = { receivedAt: d('2028-02-29T08:00:00Z'), dueAt: initialDueAt(d('2028-02-29T08:00:00Z')), extendedDueAt: null };
      expect(day(leap.dueAt)).toBe('2028-03-29');
      const decision = decideExtension(leap, 2, 'complex', d('2028-03-01T00:00:00Z'));
      expect(decision.ok && day(decision.extendedDueAt)).toBe('2028-05-29');
    });
  });
});
