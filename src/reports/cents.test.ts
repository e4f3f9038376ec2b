import { describe, expect, it } from 'vitest';
import { allocateCents, allocateTo, allocateTree, formatCents, formatDollars, formatNanos, roundToCents } from './cents.ts';
import { parseCsv, toCsv } from './csv.ts';

describe('presentation rounding', () => {
  it('rounds a total to the nearest cent, halves away from zero', () => {
    expect(roundToCents(4_999_999n)).toBe(0n);
    expect(roundToCents(5_000_000n)).toBe(1n);
    expect(roundToCents(-5_000_000n)).toBe(-1n);
    expect(roundToCents(1_234_567_890_123n)).toBe(123_457n);
  });

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

  it('allocates to a given target, refusing one no line split can reach', () => {
    expect(allocateTo([5_000_000n, 5_000_000n, 5_000_000n], 1n)).toEqual([1n, 0n, 0n]);
    expect(allocateTo([5_000_000n, 5_000_000n, 5_000_000n], 3n)).toEqual([1n, 1n, 1n]);
    expect(() => allocateTo([5_000_000n], 2n)).toThrow(RangeError);
  });

  it('an allocation tree: every group is the sum of its children, the total is rounded once, every node within a cent', () => {
    // One vendor, three half-cent lines: rounded line by line 1.24 + 2.35 + 3.46 = 7.05, but the vendor owes 7.035 → 7.04.
    const half = allocateTree([
      { path: ['openai', 'a'], nanos: 1_235_000_000n },
      { path: ['openai', 'b'], nanos: 2_345_000_000n },
      { path: ['openai', 'c'], nanos: 3_455_000_000n },
    ]);
    expect(half.reduce((a, b) => a + b, 0n)).toBe(704n);
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const leaves = Array.from({ length: 1 + (random() % 30) }, () => ({
        path: [`v${random() % 4}`, `e${random() % 3}`, `l${random() % 6}`],
        nanos: BigInt(random()) * BigInt(1 + (random() % 500)),
      }));
      const cents = allocateTree(leaves);
      const total = leaves.reduce((s, l) => s + l.nanos, 0n);
      expect(cents.reduce((a, b) => a + b, 0n)).toBe(roundToCents(total));
      // Each group (any prefix of the path) is within a cent of its exact amount.
      for (const depth of [1, 2, 3]) {
        const groups = new Map<string, { nanos: bigint; cents: bigint }>();
        leaves.forEach((l, i) => {
          const key = l.path.slice(0, depth).join('/');
          const g = groups.get(key) ?? { nanos: 0n, cents: 0n };
          groups.set(key, { nanos: g.nanos + l.nanos, cents: g.cents + cents[i]! });
        });
        for (const g of groups.values()) {
          const diff = g.cents * 10_000_000n - g.nanos;
          expect(diff > -10_000_000n && diff < 10_000_000n).toBe(true);
        }
      }
    }
  });

  it('formats amounts', () => {
    expect(formatCents(123_456n)).toBe('1234.56');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatDollars(123_456_789n)).toBe('$1,234,567.89');
    expect(formatNanos(1_234n)).toBe('0.000001234');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas, but not negative numbers', () => {
    const csv = toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['=HYPERLINK("evil")', '-5.00'], ['@SUM(A1)', 12n]]);
    expect(csv).toBe('a,b\r\n"x,y","say ""hi"""\r\n"\'=HYPERLINK(""evil"")",-5.00\r\n\'@SUM(A1),12\r\n');
    expect(parseCsv(csv)).toEqual([['a', 'b'], ['x,y', 'say "hi"'], ['\'=HYPERLINK("evil")', '-5.00'], ['\'@SUM(A1)', '12']]);
  });
});
