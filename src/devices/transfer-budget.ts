/**
 * The transfer budget (docs/architecture.md §4): a policy allows `transfersPer30Days` device releases in any
 * rolling 30 days. Pure: the releases and `now` are given.
 */
export const TRANSFER_WINDOW_MS = 30 * 86_400_000;

export interface BudgetCheck {
  allowed: boolean;
  remaining: number;
  /** when the next release becomes possible, if none is now */
  nextTransferAt: Date | null;
}

export function checkTransferBudget(releasedAt: Date[], transfersPer30Days: number, now: Date): BudgetCheck {
  const windowStart = now.getTime() - TRANSFER_WINDOW_MS;
  const inWindow = releasedAt.map((d) => d.getTime()).filter((t) => t > windowStart).sort((a, b) => a - b);
  const remaining = Math.max(0, transfersPer30Days - inWindow.length);
  if (remaining > 0) return { allowed: true, remaining, nextTransferAt: null };
  // The budget frees up when enough of the releases in the window have aged out of it.
  const freedBy = inWindow[inWindow.length - transfersPer30Days];
  return { allowed: false, remaining: 0, nextTransferAt: freedBy === undefined ? null : new Date(freedBy + TRANSFER_WINDOW_MS) };
}
