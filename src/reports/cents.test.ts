import { describe, expect, it } from 'vitest';
import { allocateCents } from './cents.ts';
import { roundToCents } from '../pricing/money.ts';
import { parseCsv, toCsv } from './csv.ts';

describe('presentation rounding', () => {
  it('allocates cents by largest remainder so lines sum to the rounded total', () => {
    // A cent split three ways goes to the line with the largest remainder.
    expect(allocateCents([3_333_333n, 3_333_333n, 3_333_334n])).toEqual([0n, 0n, 1n]);
    expect(allocateCents([6_000_000n, 6_000_000n, 6_000_000n])).toEqual([1n, 1n, 0n]); // 1.8 cents → 2
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const lines = Array.from({ length: 1 + (random() % 12) }, () => BigInt(random()) * BigInt(1 + (random() % 1000)));
      const cents = allocateCents(lines);
      expect(cents.reduce((a, b) => a + b, 0n)).toBe(roundToCents(lines.reduce((a, b) => a + b, 0n)));
      lines.forEach((nanos, i) => expect(cents[i]! - nanos / 10_000_000n).toBeGreaterThanOrEqual(0n));
      lines.forEach((nanos, i) => expect(cents[i]! - nanos / 10_000_000n).toBeLessThanOrEqual(1n));
    }
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas, but not negative numbers', () => {
    const csv = toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['=HYPERLINK("evil")', '-5.00'], ['@SUM(A1)', 12n]]);
    expect(csv).toBe('a,b\r\n"x,y","say ""hi"""\r\n"\'=HYPERLINK(""evil"")",-5.00\r\n\'@SUM(A1),12\r\n');
    expect(parseCsv(csv)).toEqual([['a', 'b'], ['x,y', 'say "hi"'], ['\'=HYPERLINK("evil")', '-5.00'], ['\'@SUM(A1)', '12']]);
  });
});
