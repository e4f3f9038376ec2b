import { describe, expect, it } from 'vitest';
import { addMonths, bookCutOf } from './book-cut.ts';

const mark = (month: string, cutoffSeq: bigint) => ({ month, start: new Date(`${month}-01T00:00:00Z`), cutoffSeq });

describe('the books cut', () => {
  it('shifts months across years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', 0)).toBe('2026-03');
  });

  it('a closed month is cut at its own seq; the next open month takes the late rows after it', () => {
    const closes = [mark('2026-01', 100n), mark('2026-02', 250n)];
    expect(bookCutOf(closes, '2026-02')).toEqual({ cut: 250n, prevCut: 100n, booksStart: new Date('2026-01-01T00:00:00Z') });
    expect(bookCutOf(closes, '2026-03')).toEqual({ cut: null, prevCut: 250n, booksStart: new Date('2026-01-01T00:00:00Z') });
    // Two months after the last close: no adjustments (they go to the month right after it).
    expect(bookCutOf(closes, '2026-04')).toEqual({ cut: null, prevCut: null, booksStart: new Date('2026-01-01T00:00:00Z') });
    // The first closed month has nothing before the books to adjust.
    expect(bookCutOf(closes, '2026-01')).toEqual({ cut: 100n, prevCut: null, booksStart: null });
    // Being closed now: the head is its cut.
    expect(bookCutOf(closes, '2026-03', 400n).cut).toBe(400n);
    expect(bookCutOf([], '2026-03')).toEqual({ cut: null, prevCut: null, booksStart: null });
  });
});
