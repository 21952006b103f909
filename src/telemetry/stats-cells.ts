/**
 * Pure logic of telemetry statistics: merging cells read from raw events and from daily roll-ups,
 * and suppressing small cells.
 *
 * `activeUsers` of a raw cell is its number of distinct pseudonyms. Pseudonyms change every month,
 * so over a range spanning months it is the sum of each month's active users. Roll-ups keep only
 * daily distinct counts (no pseudonyms), which cannot be merged across days: a cell read from
 * roll-ups reports the sum of its daily active users (exact for groupBy=day) and is flagged.
 */
export const MIN_CELL_USERS = 5;

export interface RawCell { key: string; events: number; activeUsers: number; p50: number | null; p90: number | null }
export interface RollupCell { key: string; events: number; userDays: number; peakDailyUsers: number }

export interface StatsCell {
  key: string;
  events: number;
  activeUsers: number;
  /** false when part of the cell comes from roll-ups over several days (activeUsers is then a sum of daily counts) */
  activeUsersExact: boolean;
  durationMs: { p50: number; p90: number } | null;
}

interface Merged extends StatsCell { floor: number }

/**
 * Merges raw and roll-up cells by key, then drops every cell that may describe fewer than
 * MIN_CELL_USERS people. The measure is a lower bound of the cell's distinct people (raw distinct
 * pseudonyms, or the busiest day of a roll-up), so a suppressed-looking cell is never shown.
 */
export function buildCells(raw: RawCell[], rollups: RollupCell[], dailyRollups: boolean, minUsers = MIN_CELL_USERS) {
  const cells = new Map<string, Merged>();
  for (const r of raw) {
    cells.set(r.key, {
      key: r.key, events: r.events, activeUsers: r.activeUsers, activeUsersExact: true, floor: r.activeUsers,
      durationMs: r.p50 === null || r.p90 === null ? null : { p50: Math.round(r.p50), p90: Math.round(r.p90) },
    });
  }
  for (const r of rollups) {
    const cell = cells.get(r.key) ?? { key: r.key, events: 0, activeUsers: 0, activeUsersExact: true, floor: 0, durationMs: null };
    cell.events += r.events;
    cell.activeUsers += r.userDays;
    cell.activeUsersExact &&= dailyRollups;
    cell.floor = Math.max(cell.floor, r.peakDailyUsers);
    cells.set(r.key, cell);
  }
  const shown: StatsCell[] = [];
  let suppressed = 0;
  for (const { floor, ...cell } of [...cells.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    if (floor < minUsers) suppressed += 1;
    else shown.push(cell);
  }
  return { cells: shown, suppressedCells: suppressed };
}
