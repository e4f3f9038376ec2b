// Money is bigint nano-dollars (1e-9 USD) everywhere; floats never touch it. This is the one
// place that parses and formats amounts; rounding happens only here, at presentation.
export const NANOS_PER_USD = 1_000_000_000n;
export const NANOS_PER_CENT = 10_000_000n;

const DECIMAL = /^(\d+)(?:\.(\d{1,9}))?$/;

/** Parses a non-negative decimal USD string ("3000.00", "0.075") into nano-dollars. */
export function parseUsd(amount: string): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`not a USD amount with at most 9 decimals: ${JSON.stringify(amount)}`);
  const whole = BigInt(match[1]!);
  const fraction = BigInt((match[2] ?? '').padEnd(9, '0'));
  return whole * NANOS_PER_USD + fraction;
}

/** Formats nano-dollars as a decimal USD string with `decimals` places, rounding half away from zero. */
export function formatUsd(nanos: bigint, decimals = 2): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const unit = 10n ** BigInt(9 - decimals);
  const rounded = (abs + unit / 2n) / unit;
  const scale = 10n ** BigInt(decimals);
  const whole = rounded / scale;
  const fraction = decimals > 0 ? '.' + (rounded % scale).toString().padStart(decimals, '0') : '';
  return `${negative && rounded > 0n ? '-' : ''}${whole}${fraction}`;
}

/** Nano-dollars as an exact decimal string with 9 places ("0.000001234"). */
export function formatNanos(nanos: bigint): string {
  return formatUsd(nanos, 9);
}

/** A total rounded to the nearest cent, halves away from zero (what formatUsd(n, 2) shows). */
export function roundToCents(nanos: bigint): bigint {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const cents = (abs + NANOS_PER_CENT / 2n) / NANOS_PER_CENT;
  return negative ? -cents : cents;
}

/** "1234.56" from cents. */
export function formatCents(cents: bigint): string {
  return formatUsd(cents * NANOS_PER_CENT, 2);
}

/** "$1,234.56" from cents, for people (emails, dashboard). */
export function formatDollars(cents: bigint): string {
  const [whole = '0', fraction = '00'] = formatCents(cents < 0n ? -cents : cents).split('.');
  return `${cents < 0n ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** Integer division rounding up, for costs: a request never costs less than its tokens. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  if (numerator <= 0n) return 0n;
  return (numerator + denominator - 1n) / denominator;
}
