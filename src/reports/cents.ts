// Presentation rounding. Money stays in nano-dollars until it is shown; then:
// - a total is rounded to the nearest cent, halves away from zero;
// - line items are allocated by the largest-remainder method: each line gets its
//   amount truncated to cents, and the cents still missing to reach the rounded total
//   go one each to the lines with the largest truncated remainders (earlier lines win
//   ties). Lines therefore always sum exactly to the rounded total.
export const NANOS_PER_CENT = 10_000_000n;

export function roundToCents(nanos: bigint): bigint {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const cents = (abs + NANOS_PER_CENT / 2n) / NANOS_PER_CENT;
  return negative ? -cents : cents;
}

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

/** "1234.56" from cents. */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** "$1,234.56" for people (emails, dashboard). */
export function formatDollars(cents: bigint): string {
  const [whole = '0', fraction = '00'] = formatCents(cents < 0n ? -cents : cents).split('.');
  return `${cents < 0n ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** Nano-dollars as an exact decimal string with 9 places ("0.000001234"). */
export function formatNanos(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  return `${negative ? '-' : ''}${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}`;
}
