// Presentation rounding of line items (formatting and rounding a total: pricing/money.ts):
// - a total is rounded to the nearest cent, halves away from zero (roundToCents);
// - line items are allocated by the largest-remainder method: each line gets its
//   amount truncated to cents, and the cents still missing to reach the rounded total
//   go one each to the lines with the largest truncated remainders (earlier lines win
//   ties). Lines therefore always sum exactly to the rounded total.
import { NANOS_PER_CENT, roundToCents } from '../pricing/money.ts';

/** Cents per line, summing exactly to roundToCents(sum of lines). Lines must be non-negative. */
export function allocateCents(lines: readonly bigint[]): bigint[] {
  let total = 0n;
  for (const nanos of lines) {
    if (nanos < 0n) throw new RangeError('allocateCents takes non-negative amounts');
    total += nanos;
  }
  const cents = lines.map((nanos) => nanos / NANOS_PER_CENT);
  let missing = roundToCents(total) - cents.reduce((a, b) => a + b, 0n);
  const order = lines
    .map((nanos, index) => ({ index, remainder: nanos % NANOS_PER_CENT }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (missing <= 0n) break;
    cents[index]! += 1n;
    missing -= 1n;
  }
  return cents;
}
