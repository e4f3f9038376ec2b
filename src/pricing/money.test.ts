import { describe, expect, it } from 'vitest';
import { ceilDiv, formatCents, formatDollars, formatNanos, formatUsd, parseUsd, roundToCents } from './money.ts';

describe('money', () => {
  it('parses decimal strings exactly into nano-dollars', () => {
    expect(parseUsd('3000.00')).toBe(3_000_000_000_000n);
    expect(parseUsd('0.075')).toBe(75_000_000n);
    expect(parseUsd('0.000000001')).toBe(1n);
    expect(parseUsd('12')).toBe(12_000_000_000n);
  });

  it('rejects what is not a plain amount', () => {
    for (const bad of ['', '-1', '1.0000000001', '1e3', 'abc', '1,000']) {
      expect(() => parseUsd(bad)).toThrow(RangeError);
    }
  });

  it('formats with half-up rounding at presentation only', () => {
    expect(formatUsd(812_404_999_999n)).toBe('812.40');
    expect(formatUsd(812_405_000_000n)).toBe('812.41');
    expect(formatUsd(1n, 9)).toBe('0.000000001');
    expect(formatUsd(-1_500_000_000n)).toBe('-1.50');
  });

  it('rounds costs up to the next nano-dollar', () => {
    expect(ceilDiv(1n, 1_000_000n)).toBe(1n);
    expect(ceilDiv(2_000_000n, 1_000_000n)).toBe(2n);
    expect(ceilDiv(0n, 7n)).toBe(0n);
  });

  it('rounds a total to the nearest cent, halves away from zero', () => {
    expect(roundToCents(4_999_999n)).toBe(0n);
    expect(roundToCents(5_000_000n)).toBe(1n);
    expect(roundToCents(-5_000_000n)).toBe(-1n);
    expect(roundToCents(1_234_567_890_123n)).toBe(123_457n);
  });

  it('formats cents, dollars and exact nano-dollars', () => {
    expect(formatCents(123_456n)).toBe('1234.56');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatDollars(123_456_789n)).toBe('$1,234,567.89');
    expect(formatNanos(1_234n)).toBe('0.000001234');
  });

  it('shows the same figure through cents as through formatUsd', () => {
    for (const nanos of [0n, 1n, 4_999_999n, 5_000_000n, 812_405_000_000n, -1_500_000_000n, -5_000_000n]) {
      expect(formatCents(roundToCents(nanos))).toBe(formatUsd(nanos, 2));
    }
  });
});
