import { admitEvents, collectionDecision } from '../../src/telemetry/event-admission';
import { isExpired, monthRange, monthsBetween, monthStart, partitionMonth, partitionName } from '../../src/telemetry/months';
import { telemetryPseudonym } from '../../src/telemetry/pseudonym';
import { buildCells } from '../../src/telemetry/stats-cells';

const now = new Date('2026-11-22T10:00:00Z');

describe('telemetry months and partitions', () => {
  it('names a partition after its month and reads the month back', () => {
    expect(partitionName('2026-01')).toBe('telemetry_events_p2026_01');
    expect(partitionMonth('telemetry_events_p2026_01')).toBe('2026-01');
    expect(partitionMonth('telemetry_events_default')).toBeNull();
    expect(partitionMonth('telemetry_events_p2026_13')).toBeNull();
  });

  it('bounds a month in UTC, across the year end', () => {
    expect(monthRange('2026-12')).toEqual({ month: '2026-12', from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(monthStart(now, 2)).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(monthStart(now, -11)).toEqual(new Date('2025-12-01T00:00:00Z'));
  });

  it('lists every month between two instants inclusive, across the year end, whatever the day', () => {
    expect(monthsBetween(new Date('2025-11-30T23:59:59.999Z'), new Date('2026-02-01T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween(new Date('2026-11-22T10:00:00Z'), new Date('2026-11-01T00:00:00Z'))).toEqual(['2026-11']);
    expect(monthsBetween(new Date('2026-12-01T00:00:00Z'), new Date('2026-11-30T23:59:59.999Z'))).toEqual([]);
  });

  it('expires a month only when all its events are older than the retention period', () => {
    expect(isExpired('2025-09', now, 13)).toBe(true);   // ends 2025-10-01, before 2025-10-22
    expect(isExpired('2025-10', now, 13)).toBe(false);  // holds events of 2025-10-22..31, not yet 13 months old
    expect(isExpired('2026-11', now, 13)).toBe(false);
    expect(isExpired('2026-10', now, 1)).toBe(false);
    expect(isExpired('2026-09', now, 1)).toBe(true);
  });
});

describe('event admission', () => {
  const at = (ms: number) => ({ at: new Date(now.getTime() + ms) });

  it('keeps events within 30 days back and 5 minutes of clock skew ahead', () => {
    const result = admitEvents([at(0), at(4 * 60_000), at(6 * 60_000), at(-29 * 86_400_000), at(-31 * 86_400_000)], now);
    expect(result.accepted).toHaveLength(3);
    expect(result.future).toBe(1);
    expect(result.stale).toBe(1);
  });
});

describe('collection decision', () => {
  const facts = { telemetryObjectedAt: null, restrictedAt: null, policyTelemetry: 'on' as const };
  it('collects unless the holder objected or is restricted, or the policy is off', () => {
    expect(collectionDecision(facts)).toEqual({ collect: true });
    expect(collectionDecision({ ...facts, telemetryObjectedAt: now })).toEqual({ collect: false, reason: 'objected' });
    expect(collectionDecision({ ...facts, restrictedAt: now })).toEqual({ collect: false, reason: 'restricted' });
    expect(collectionDecision({ ...facts, policyTelemetry: 'off' })).toEqual({ collect: false, reason: 'policy_off' });
  });
});

describe('pseudonyms', () => {
  const key = Buffer.alloc(32, 7);
  it('are stable within a month and differ across months and keys', () => {
    const subject = '8b0c2f5e-0000-4000-8000-000000000001';
    expect(telemetryPseudonym(key, subject, '2026-11')).toBe(telemetryPseudonym(key, subject, '2026-11'));
    expect(telemetryPseudonym(key, subject, '2026-11')).not.toBe(telemetryPseudonym(key, subject, '2026-12'));
    expect(telemetryPseudonym(Buffer.alloc(32, 8), subject, '2026-11')).not.toBe(telemetryPseudonym(key, subject, '2026-11'));
    expect(telemetryPseudonym(key, subject, '2026-11')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('statistics cells', () => {
  it('suppresses cells with fewer than 5 distinct users and says how many', () => {
    const { cells, suppressedCells } = buildCells([
      { key: 'export', events: 40, activeUsers: 5, p50: 120.4, p90: 900 },
      { key: 'rare', events: 9, activeUsers: 4, p50: null, p90: null },
    ], [], false);
    expect(cells).toEqual([{ key: 'export', events: 40, activeUsers: 5, activeUsersExact: true, durationMs: { p50: 120, p90: 900 } }]);
    expect(suppressedCells).toBe(1);
  });

  it('merges roll-ups, judging their size by the busiest day, not by the sum of days', () => {
    const { cells, suppressedCells } = buildCells([], [
      { key: 'one-person-every-day', events: 30, userDays: 30, peakDailyUsers: 1 },
      { key: 'busy', events: 100, userDays: 40, peakDailyUsers: 8 },
    ], false);
    expect(suppressedCells).toBe(1);
    expect(cells).toEqual([{ key: 'busy', events: 100, activeUsers: 40, activeUsersExact: false, durationMs: null }]);
  });

  it('adds roll-up days to raw cells of the same key; per-day cells stay exact', () => {
    const { cells } = buildCells([{ key: '2026-11-01', events: 10, activeUsers: 6, p50: 5, p90: 9 }], [{ key: '2026-10-31', events: 7, userDays: 5, peakDailyUsers: 5 }], true);
    expect(cells.map((c) => [c.key, c.activeUsersExact])).toEqual([['2026-10-31', true], ['2026-11-01', true]]);
  });
});
