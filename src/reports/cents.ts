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
  return allocateTo(lines, roundToCents(sumNanos(lines)));
}

function sumNanos(lines: readonly bigint[]): bigint {
  let total = 0n;
  for (const nanos of lines) {
    if (nanos < 0n) throw new RangeError('cents are allocated over non-negative amounts');
    total += nanos;
  }
  return total;
}

/**
 * Cents per line summing exactly to `targetCents`, by largest remainder (earlier lines win
 * ties). When the target is within [Σ truncated, Σ truncated + lines] (always the case for a
 * parent's own allocation), every line gets its truncated cents or one more: no line moves
 * by a cent or more from its exact amount.
 */
export function allocateTo(lines: readonly bigint[], targetCents: bigint): bigint[] {
  sumNanos(lines);
  const cents = lines.map((nanos) => nanos / NANOS_PER_CENT);
  let missing = targetCents - cents.reduce((a, b) => a + b, 0n);
  if (missing < 0n || missing > BigInt(lines.length)) throw new RangeError(`cannot allocate ${targetCents} cents over these lines`);
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

/** A leaf of an allocation tree: its path from the top level down, and its exact amount. */
export interface TreeLeaf {
  readonly path: readonly string[];
  readonly nanos: bigint;
}

/**
 * Cents for leaves grouped by their paths: the total is rounded once (roundToCents), then
 * each level's groups share their parent's cents by largest remainder (ties: the smaller key).
 * So every group's cents are exactly the sum of its children's — a vendor's credit is the
 * sum of its debit lines — and every node is within a cent of its exact amount.
 * Returns the cents per leaf, in the order given.
 */
export function allocateTree(leaves: readonly TreeLeaf[]): bigint[] {
  const out: bigint[] = new Array<bigint>(leaves.length).fill(0n);
  const walk = (indexes: readonly number[], depth: number, cents: bigint): void => {
    const depthOf = (i: number) => leaves[i]!.path.length;
    if (indexes.every((i) => depthOf(i) <= depth)) {
      // Leaves sharing a full path share its cents (a caller's duplicate keys).
      const shares = allocateTo(indexes.map((i) => leaves[i]!.nanos), cents);
      indexes.forEach((i, k) => (out[i] = shares[k]!));
      return;
    }
    const groups = new Map<string, number[]>();
    for (const i of indexes) {
      const key = leaves[i]!.path[depth] ?? '';
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    }
    const keys = [...groups.keys()].sort();
    const amounts = keys.map((k) => groups.get(k)!.reduce((s, i) => s + leaves[i]!.nanos, 0n));
    const shares = allocateTo(amounts, cents);
    keys.forEach((k, n) => walk(groups.get(k)!, depth + 1, shares[n]!));
  };
  const all = leaves.map((_, i) => i);
  if (all.length > 0) walk(all, 0, roundToCents(sumNanos(leaves.map((l) => l.nanos))));
  return out;
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
