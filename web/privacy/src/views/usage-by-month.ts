import type { TelemetryItem } from '../export-types';

export interface MonthUsage { month: string; events: number; sessions: number }

/** Events per month ("YYYY-MM"), oldest first: the data behind the chart and its table. Pure. */
export function usageByMonth(events: readonly TelemetryItem[]): MonthUsage[] {
  const byMonth = new Map<string, MonthUsage>();
  for (const e of events) {
    const month = e.month ?? e.at.slice(0, 7);
    const row = byMonth.get(month) ?? { month, events: 0, sessions: 0 };
    row.events += 1;
    if (e.type === 'session_start') row.sessions += 1;
    byMonth.set(month, row);
  }
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** "2026-11" → "Nov 2026" / "nov 2026". */
export function monthName(month: string, lang: 'en' | 'nl'): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-BE' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}
