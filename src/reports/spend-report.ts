import type { Db, PricingStatus } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';
import { allocateCents, roundToCents } from './cents.ts';
import { addMonths, bookCutOf, type CloseMark } from './books/book-cut.ts';
import { closeMarks, listCloses, readCloseFile, type CloseRecord } from './books/period-closes.repository.ts';
import { monthWindow } from './month-window.ts';
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

/** Figures of a range: a total and its lines per dimension. */
export interface SpendFigures {
  readonly total: SpendLine;
  readonly groups: Readonly<Record<Dimension, readonly SpendLine[]>>;
  /** Of the total: late rows of closed months booked here (the adjustment entries). */
  readonly adjustments: SpendLine;
}

export interface SpendReport extends SpendFigures {
  readonly range: ReportRange;
  /** Months whose closed figures the report used (stored at close, never recomputed). */
  readonly closedMonths: readonly string[];
}

const NO_COUNTS: Readonly<Record<PricingStatus, number>> = { priced: 0, estimated: 0, unpriced: 0, usage_missing: 0 };
const NONE = '(none)';
export const SPEND_FIGURES_FILE = 'spend.json';

type Teams = Awaited<ReturnType<typeof teamNames>>;

function labelOf(teams: Teams, dimension: Dimension, key: readonly (string | null)[]): { key: string; label: string } {
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
}

function toLine(key: string, label: string, r: AggregateRow | null, spendCents: bigint): SpendLine {
  return {
    key,
    label,
    spendNanos: r?.spendNanos ?? 0n,
    spendCents,
    estimatedNanos: r?.estimatedNanos ?? 0n,
    counts: r?.counts ?? NO_COUNTS,
    inputTokens: r?.inputTokens ?? 0n,
    outputTokens: r?.outputTokens ?? 0n,
  };
}

function addLines(a: SpendLine, b: SpendLine): SpendLine {
  return {
    key: a.key,
    label: b.label,
    spendNanos: a.spendNanos + b.spendNanos,
    spendCents: a.spendCents + b.spendCents,
    estimatedNanos: a.estimatedNanos + b.estimatedNanos,
    counts: {
      priced: a.counts.priced + b.counts.priced,
      estimated: a.counts.estimated + b.counts.estimated,
      unpriced: a.counts.unpriced + b.counts.unpriced,
      usage_missing: a.counts.usage_missing + b.counts.usage_missing,
    },
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

/** Sums figures line by line (same key), keeping each dimension's lines summing to the total. */
function mergeFigures(parts: readonly SpendFigures[]): SpendFigures {
  let total = toLine('total', 'Total', null, 0n);
  let adjustments = toLine('adjustments', 'Adjustments', null, 0n);
  const groups = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, SpendLine>()])) as Record<Dimension, Map<string, SpendLine>>;
  for (const part of parts) {
    total = addLines(total, part.total);
    adjustments = addLines(adjustments, part.adjustments);
    for (const d of DIMENSIONS) {
      for (const line of part.groups[d]) {
        const prev = groups[d].get(line.key);
        groups[d].set(line.key, prev ? addLines(prev, line) : line);
      }
    }
  }
  return { total, adjustments, groups: Object.fromEntries(DIMENSIONS.map((d) => [d, [...groups[d].values()]])) as Record<Dimension, SpendLine[]> };
}

/**
 * Figures of one booking part (the month's own rows, or its adjustments): the part's total is
 * rounded once and each dimension's lines get cents by largest remainder.
 */
function partFigures(rows: readonly AggregateRow[], teams: Teams, late: boolean): SpendFigures {
  const totalRow = rows.find((r) => r.dimension === 'total') ?? null;
  const groups = {} as Record<Dimension, SpendLine[]>;
  for (const d of DIMENSIONS) {
    const lines = rows.filter((r) => r.dimension === d).map((r) => ({ ...labelOf(teams, d, r.key), row: r }));
    lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const cents = allocateCents(lines.map((l) => l.row.spendNanos));
    groups[d] = lines.map((l, i) => toLine(l.key, l.label, l.row, cents[i]!));
  }
  const total = toLine('total', 'Total', totalRow, roundToCents(totalRow?.spendNanos ?? 0n));
  return { total, groups, adjustments: late ? { ...total, key: 'adjustments', label: 'Adjustments' } : toLine('adjustments', 'Adjustments', null, 0n) };
}

interface Segment {
  readonly month: string;
  readonly from: string; // YYYY-MM-DD
  readonly to: string; // inclusive
  readonly whole: boolean;
  readonly reachesEnd: boolean; // includes the month's last day (where adjustments are dated)
}

/** The range cut at month boundaries. */
export function monthSegments(from: string, to: string): Segment[] {
  const segments: Segment[] = [];
  // Counted, not compared as text: "10000-01" sorts before "9999-12".
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  for (let i = 0, month = from.slice(0, 7); i <= months; i++, month = addMonths(month, 1)) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    const first = `${month}-01`;
    const segFrom = from > first ? from : first;
    const segTo = to < last ? to : last;
    segments.push({ month, from: segFrom, to: segTo, whole: segFrom === first && segTo === last, reachesEnd: segTo === last });
  }
  return segments;
}

/** Local midnight starting `day` in `timeZone` (DST-correct: the ledger's period rules). */
function localMidnight(day: string, timeZone: string): Date {
  // 12:00 UTC lies on local `day` for offsets within ±12 h; step toward it for the rest (+13, +14).
  const local = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  let at = new Date(`${day}T12:00:00Z`);
  for (let i = 0; i < 4 && local(at) !== day; i++) at = new Date(at.getTime() + (local(at) < day ? 1 : -1) * 6 * 3_600_000);
  return periodWindow('Daily', timeZone, at).start;
}

function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A segment from the live ledger, under the books' cuts (closed months: their cut). */
async function liveSegment(db: Db, seg: Segment, timeZone: string, marks: readonly CloseMark[], teams: Teams, closingCut: bigint | null = null): Promise<SpendFigures> {
  const w = monthWindow(seg.month, timeZone);
  const scope = {
    from: seg.from === `${seg.month}-01` ? w.start : localMidnight(seg.from, timeZone),
    to: seg.reachesEnd ? w.end : localMidnight(dayAfter(seg.to), timeZone),
    monthStart: w.start,
    cut: bookCutOf(marks, seg.month, closingCut),
    withAdjustments: seg.reachesEnd,
  };
  const rows = await aggregateSpend(db, scope, timeZone, w.lastDay);
  return mergeFigures([partFigures(rows.filter((r) => !r.late), teams, false), partFigures(rows.filter((r) => r.late), teams, true)]);
}

/** A whole month's figures under a cut: what a close stores. */
export async function monthFigures(db: Db, month: string, timeZone: string, closes: readonly CloseRecord[], closingCut: bigint | null): Promise<SpendFigures> {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  const teams = await teamNames(db);
  return liveSegment(db, { month, from: `${month}-01`, to: last, whole: true, reachesEnd: true }, timeZone, closeMarks(closes), teams, closingCut);
}

/**
 * Spend by team, cost center, person, provider, model, upstream and day. The range is cut at month
 * boundaries: a closed month (in the books' time zone) contributes its stored figures, other
 * parts the live ledger under the books' cuts; each month's own rows and its adjustments are
 * rounded apart, as their journal entries are, so a range is exactly the sum of its months.
 */
export async function buildSpendReport(db: Db, range: ReportRange): Promise<SpendReport> {
  const [closes, teams] = await Promise.all([listCloses(db), teamNames(db)]);
  // Closed figures are cut in the books' zone; a report in another zone reads the ledger as is.
  const inZone = closes.filter((c) => c.timeZone === range.timeZone);
  const marks = closeMarks(inZone);
  const closedMonths: string[] = [];
  const parts = await Promise.all(
    monthSegments(range.from, range.to).map(async (seg) => {
      if (seg.whole && inZone.some((c) => c.month === seg.month)) {
        const stored = await readCloseFile(db, seg.month, SPEND_FIGURES_FILE);
        if (stored) {
          closedMonths.push(seg.month);
          return figuresFromJson(JSON.parse(stored.content.toString('utf8')));
        }
      }
      return liveSegment(db, seg, range.timeZone, marks, teams);
    }),
  );
  const merged = mergeFigures(parts);
  const groups = {} as Record<Dimension, SpendLine[]>;
  for (const d of DIMENSIONS) {
    const lines = [...merged.groups[d]];
    if (d === 'day') {
      const byDay = new Map(lines.map((l) => [l.key, l]));
      groups.day = daysBetween(range.from, range.to).map((day) => byDay.get(day) ?? toLine(day, day, null, 0n));
    } else {
      groups[d] = lines.sort((a, b) => (a.spendNanos === b.spendNanos ? a.key.localeCompare(b.key) : a.spendNanos > b.spendNanos ? -1 : 1));
    }
  }
  return { range, total: merged.total, adjustments: merged.adjustments, groups, closedMonths: closedMonths.sort() };
}

/** Every local date from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const lineToJson = (l: SpendLine) => ({ ...l, spendNanos: String(l.spendNanos), spendCents: String(l.spendCents), estimatedNanos: String(l.estimatedNanos), inputTokens: String(l.inputTokens), outputTokens: String(l.outputTokens) });
type LineJson = ReturnType<typeof lineToJson>;
const lineFromJson = (l: LineJson): SpendLine => ({
  key: l.key,
  label: l.label,
  spendNanos: BigInt(l.spendNanos),
  spendCents: BigInt(l.spendCents),
  estimatedNanos: BigInt(l.estimatedNanos),
  counts: l.counts,
  inputTokens: BigInt(l.inputTokens),
  outputTokens: BigInt(l.outputTokens),
});

/** Lossless JSON of figures (what a close stores as spend.json). */
export function figuresToJson(f: SpendFigures): unknown {
  return { total: lineToJson(f.total), adjustments: lineToJson(f.adjustments), groups: Object.fromEntries(DIMENSIONS.map((d) => [d, f.groups[d].map(lineToJson)])) };
}

export function figuresFromJson(json: unknown): SpendFigures {
  const j = json as { total: LineJson; adjustments: LineJson; groups: Record<Dimension, LineJson[]> };
  return { total: lineFromJson(j.total), adjustments: lineFromJson(j.adjustments), groups: Object.fromEntries(DIMENSIONS.map((d) => [d, (j.groups[d] ?? []).map(lineFromJson)])) as Record<Dimension, SpendLine[]> };
}
