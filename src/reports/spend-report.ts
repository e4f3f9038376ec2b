import type { Db, PricingStatus } from '../db/database.ts';
import { allocateCents, roundToCents } from './cents.ts';
import { aggregateSpend, DIMENSIONS, teamNames, type AggregateRow, type Dimension, type ReportRange } from './spend-report.repository.ts';

export interface SpendLine {
  readonly key: string;
  readonly label: string;
  readonly spendNanos: bigint;
  /** Cents allocated by largest remainder: the lines of one dimension sum to the total's cents. */
  readonly spendCents: bigint;
  readonly estimatedNanos: bigint;
  readonly counts: Readonly<Record<PricingStatus, number>>;
  readonly inputTokens: bigint;
  readonly outputTokens: bigint;
}

export interface SpendReport {
  readonly range: ReportRange;
  readonly total: SpendLine;
  readonly groups: Readonly<Record<Dimension, readonly SpendLine[]>>;
}

const NO_COUNTS: Readonly<Record<PricingStatus, number>> = { priced: 0, estimated: 0, unpriced: 0, usage_missing: 0 };
const NONE = '(none)';

/** Spend by team, cost center, person, provider, model, upstream and day; the day series is zero-filled. */
export async function buildSpendReport(db: Db, range: ReportRange): Promise<SpendReport> {
  const [rows, teams] = await Promise.all([aggregateSpend(db, range), teamNames(db)]);
  const label = (dimension: Dimension, key: readonly (string | null)[]): { key: string; label: string } => {
    switch (dimension) {
      case 'team': {
        const k = key[0] ?? NONE;
        return { key: k, label: teams.get(k)?.displayName ?? k };
      }
      case 'person':
        return { key: key[1] ?? (key[0] ? `person:${key[0]}` : NONE), label: key[1] ?? NONE };
      case 'model':
        return { key: `${key[0]}/${key[1]}`, label: `${key[0]}/${key[1]}` };
      default:
        return { key: key[0] ?? NONE, label: key[0] ?? NONE };
    }
  };
  const groups = {} as Record<Dimension, SpendLine[]>;
  for (const dimension of DIMENSIONS) {
    const raw = rows.filter((r) => r.dimension === dimension);
    const lines = raw.map((r) => ({ ...label(dimension, r.key), row: r }));
    if (dimension === 'day') {
      const byDay = new Map(lines.map((l) => [l.key, l]));
      lines.length = 0;
      for (const day of daysBetween(range.from, range.to)) lines.push(byDay.get(day) ?? { key: day, label: day, row: emptyRow('day', day) });
    } else {
      lines.sort((a, b) => (a.row.spendNanos === b.row.spendNanos ? a.key.localeCompare(b.key) : a.row.spendNanos > b.row.spendNanos ? -1 : 1));
    }
    const cents = allocateCents(lines.map((l) => l.row.spendNanos));
    groups[dimension] = lines.map((l, i) => toLine(l.key, l.label, l.row, cents[i]!));
  }
  const totalRow = rows.find((r) => r.dimension === 'total') ?? emptyRow('total', null);
  return { range, total: toLine('total', 'Total', totalRow, roundToCents(totalRow.spendNanos)), groups };
}

function toLine(key: string, label: string, r: AggregateRow, spendCents: bigint): SpendLine {
  return {
    key,
    label,
    spendNanos: r.spendNanos,
    spendCents,
    estimatedNanos: r.estimatedNanos,
    counts: r.counts,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
  };
}

function emptyRow(dimension: Dimension | 'total', key: string | null): AggregateRow {
  return { dimension, key: [key], spendNanos: 0n, estimatedNanos: 0n, counts: NO_COUNTS, inputTokens: 0n, outputTokens: 0n };
}

/** Every local date from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
