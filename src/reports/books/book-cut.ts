// Which ledger rows a month's books hold, given the closed months (pure: no database).
//
// Months close in order. A closed month M holds the rows that occurred in it and were in the
// ledger when it closed (seq <= its cutoff). A row that occurs in a closed month but reaches the
// ledger after that close is "late": it is booked in the first month after the last close at
// the time it arrived — the adjustment entry of that month, dated its last day. Months before
// the first close ("before the books") never receive adjustments.
export interface CloseMark {
  readonly month: string;
  readonly start: Date;
  readonly cutoffSeq: bigint;
}

export interface BookCut {
  /** This month's own cutoff when it is closed (or being closed); null while it is open. */
  readonly cut: bigint | null;
  /** The previous month's cutoff when that month is closed: rows after it that occurred in
   * an earlier closed month are this month's adjustments. */
  readonly prevCut: bigint | null;
  /** The first closed month's start: late rows occurred on or after it. */
  readonly booksStart: Date | null;
}

/** "2026-03" shifted by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The cut of `month` given the closes (sorted or not); `closingCut` when the month is being closed now. */
export function bookCutOf(closes: readonly CloseMark[], month: string, closingCut: bigint | null = null): BookCut {
  const own = closes.find((c) => c.month === month);
  const prev = closes.find((c) => c.month === addMonths(month, -1));
  const first = closes.reduce<CloseMark | null>((a, c) => (a === null || c.month < a.month ? c : a), null);
  return {
    cut: own ? own.cutoffSeq : closingCut,
    prevCut: prev ? prev.cutoffSeq : null,
    booksStart: first && first.month < month ? first.start : null,
  };
}
