import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { addMonths } from '../books/book-cut.ts';
import { listCloses } from '../books/period-closes.repository.ts';
import { chainHead, type ChainHead } from '../../ledger/chain-head.ts';
import { monthWindow } from '../month-window.ts';
import { teamNames } from '../spend-report.repository.ts';
import { buildSpendReport, monthFigures } from '../spend-report.ts';
import { teamAllocations } from './team-allocations.ts';

export type TeamStatus = 'On track' | 'Near limit' | 'Over' | 'No budget';

export interface TeamSummary {
  readonly team: string; // namespace/name
  readonly label: string;
  readonly costCenter: string | null;
  readonly spentNanos: bigint;
  /** The team's share of the booked total in cents (largest remainder per booking part). */
  readonly spentCents: bigint;
  readonly budgetNanos: bigint;
  readonly percent: number | null; // one decimal, rounded down
  readonly status: TeamStatus;
}

export interface MonthSummary {
  readonly month: string;
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
  readonly spentNanos: bigint;
  /** What the month's journals book: its own rows and its adjustments, each rounded once. */
  readonly spentCents: bigint;
  /** Of the spend: late rows of earlier closed months booked in this month. */
  readonly adjustments: { readonly nanos: bigint; readonly cents: bigint; readonly requests: number };
  readonly budgetNanos: bigint;
  readonly remainingNanos: bigint; // budget − spent, never below zero
  readonly overage: { readonly hardNanos: bigint; readonly softNanos: bigint };
  readonly activeEmployees: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly teams: readonly TeamSummary[];
  readonly providers: readonly { readonly provider: string; readonly spentNanos: bigint; readonly spentCents: bigint }[];
  readonly previous: { readonly month: string; readonly spentNanos: bigint; readonly changePercent: number | null };
  /** The ledger's chain head when the summary was made: `stipend audit verify` proves later that rows 1…seq are unchanged. Null in summaries stored before it existed. */
  readonly chain: ChainHead | null;
}

export const NEAR_LIMIT_PERCENT = 90;

export function teamStatus(spent: bigint, budget: bigint): { percent: number | null; status: TeamStatus } {
  if (budget <= 0n) return { percent: null, status: 'No budget' };
  const percent = Number((spent * 1000n) / budget) / 10;
  return { percent, status: spent > budget ? 'Over' : percent >= NEAR_LIMIT_PERCENT ? 'Near limit' : 'On track' };
}

export interface SummaryOptions {
  /** Build a month being closed now from this ledger cut (default: the books as they are). */
  readonly closingCut?: bigint | null;
  /** The chain head to quote (a close: its cut); default the ledger's head now. */
  readonly chain?: ChainHead;
}

/**
 * The month's summary from its books: closed months' stored figures, open months from the
 * ledger under the books' cuts (so late rows of closed months count where they are booked).
 */
export async function buildMonthSummary(db: Db, month: string, timeZone: string, options: SummaryOptions = {}): Promise<MonthSummary> {
  const w = monthWindow(month, timeZone);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const prevMonth = addMonths(month, -1);
  const pw = monthWindow(prevMonth, timeZone);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const closes = (await listCloses(db)).filter((c) => c.timeZone === timeZone);
  const [figures, previous, overage, allocations, names, chain] = await Promise.all([
    monthFigures(db, month, timeZone, closes, options.closingCut ?? null),
    buildSpendReport(db, { from: pw.firstDay, to: pw.lastDay, timeZone }),
    // Wallet windows that start in the month; what they spent beyond their limit.
    sql<{ hard: bigint; soft: bigint }>`select
        coalesce(sum(greatest(spent_nanos - limit_nanos, 0)) filter (where hard), 0)::bigint as hard,
        coalesce(sum(greatest(spent_nanos - limit_nanos, 0)) filter (where not hard), 0)::bigint as soft
      from wallets where period_start >= ${w.start} and period_start < ${w.end}`.execute(db),
    teamAllocations(db, days),
    teamNames(db),
    options.chain ?? chainHead(db),
  ]);
  const byTeam = new Map(figures.groups.team.map((l) => [l.key, l]));
  const teamKeys = [...new Set([...allocations.keys(), ...byTeam.keys()])];
  const teams = teamKeys
    .map((team) => {
      const line = byTeam.get(team);
      const spentNanos = line?.spendNanos ?? 0n;
      const budgetNanos = allocations.get(team) ?? 0n;
      const info = names.get(team);
      return { team, label: info?.displayName ?? team, costCenter: info?.costCenter ?? null, spentNanos, spentCents: line?.spendCents ?? 0n, budgetNanos, ...teamStatus(spentNanos, budgetNanos) };
    })
    .sort((a, b) => (a.spentNanos === b.spentNanos ? a.team.localeCompare(b.team) : a.spentNanos > b.spentNanos ? -1 : 1));
  const spent = figures.total.spendNanos;
  const budgetNanos = teams.reduce((s, x) => s + x.budgetNanos, 0n);
  const prevSpent = previous.total.spendNanos;
  const a = figures.adjustments;
  return {
    month,
    timeZone,
    start: w.start,
    end: w.end,
    spentNanos: spent,
    spentCents: figures.total.spendCents,
    adjustments: { nanos: a.spendNanos, cents: a.spendCents, requests: a.counts.priced + a.counts.estimated + a.counts.unpriced + a.counts.usage_missing },
    budgetNanos,
    remainingNanos: budgetNanos > spent ? budgetNanos - spent : 0n,
    overage: { hardNanos: overage.rows[0]?.hard ?? 0n, softNanos: overage.rows[0]?.soft ?? 0n },
    activeEmployees: figures.groups.person.filter((p) => p.key !== '(none)').length,
    requests: { ...figures.total.counts },
    teams,
    providers: [...figures.groups.provider]
      .filter((p) => p.spendNanos > 0n)
      .sort((p, q) => (p.spendNanos === q.spendNanos ? p.key.localeCompare(q.key) : p.spendNanos > q.spendNanos ? -1 : 1))
      .map((p) => ({ provider: p.key, spentNanos: p.spendNanos, spentCents: p.spendCents })),
    previous: {
      month: prevMonth,
      spentNanos: prevSpent,
      changePercent: prevSpent > 0n ? Number(((spent - prevSpent) * 1000n) / prevSpent) / 10 : null,
    },
    chain,
  };
}
