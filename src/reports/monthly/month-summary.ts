import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { chainHead, type ChainHead } from '../../ledger/chain-head.ts';
import { monthWindow } from '../month-window.ts';
import { teamNames } from '../spend-report.repository.ts';
import { teamAllocations } from './team-allocations.ts';

export type TeamStatus = 'On track' | 'Near limit' | 'Over' | 'No budget';

export interface TeamSummary {
  readonly team: string; // namespace/name
  readonly label: string;
  readonly costCenter: string | null;
  readonly spentNanos: bigint;
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
  readonly budgetNanos: bigint;
  readonly remainingNanos: bigint; // budget − spent, never below zero
  readonly overage: { readonly hardNanos: bigint; readonly softNanos: bigint };
  readonly activeEmployees: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly teams: readonly TeamSummary[];
  readonly providers: readonly { readonly provider: string; readonly spentNanos: bigint }[];
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

export async function buildMonthSummary(db: Db, month: string, timeZone: string): Promise<MonthSummary> {
  const w = monthWindow(month, timeZone);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const prevMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const pw = monthWindow(prevMonth, timeZone);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const counted = sql`pricing_status in ('priced', 'estimated')`;
  const [byTeam, byProvider, totals, previous, overage, allocations, names, chain] = await Promise.all([
    sql<{ team: string | null; spent: bigint }>`select team, coalesce(sum(cost_nanos) filter (where ${counted}), 0)::bigint as spent
      from usage_events where occurred_at >= ${w.start} and occurred_at < ${w.end} group by team`.execute(db),
    sql<{ provider: string; spent: bigint }>`select provider, sum(cost_nanos)::bigint as spent from usage_events
      where occurred_at >= ${w.start} and occurred_at < ${w.end} and ${counted} group by provider order by 2 desc, 1`.execute(db),
    sql<{ spent: bigint; people: bigint; priced: bigint; estimated: bigint; unpriced: bigint; usage_missing: bigint }>`
      select coalesce(sum(cost_nanos) filter (where ${counted}), 0)::bigint as spent, count(distinct person_id) as people,
             count(*) filter (where pricing_status = 'priced') as priced, count(*) filter (where pricing_status = 'estimated') as estimated,
             count(*) filter (where pricing_status = 'unpriced') as unpriced, count(*) filter (where pricing_status = 'usage_missing') as usage_missing
        from usage_events where occurred_at >= ${w.start} and occurred_at < ${w.end}`.execute(db),
    sql<{ spent: bigint }>`select coalesce(sum(cost_nanos), 0)::bigint as spent from usage_events
      where occurred_at >= ${pw.start} and occurred_at < ${pw.end} and ${counted}`.execute(db),
    // Wallet windows that start in the month; what they spent beyond their limit.
    sql<{ hard: bigint; soft: bigint }>`select
        coalesce(sum(greatest(spent_nanos - limit_nanos, 0)) filter (where hard), 0)::bigint as hard,
        coalesce(sum(greatest(spent_nanos - limit_nanos, 0)) filter (where not hard), 0)::bigint as soft
      from wallets where period_start >= ${w.start} and period_start < ${w.end}`.execute(db),
    teamAllocations(db, days),
    teamNames(db),
    chainHead(db),
  ]);
  const spentByTeam = new Map(byTeam.rows.map((r) => [r.team ?? '(none)', r.spent]));
  const teamKeys = [...new Set([...allocations.keys(), ...spentByTeam.keys()])];
  const teams = teamKeys
    .map((team) => {
      const spentNanos = spentByTeam.get(team) ?? 0n;
      const budgetNanos = allocations.get(team) ?? 0n;
      const info = names.get(team);
      return { team, label: info?.displayName ?? team, costCenter: info?.costCenter ?? null, spentNanos, budgetNanos, ...teamStatus(spentNanos, budgetNanos) };
    })
    .sort((a, b) => (a.spentNanos === b.spentNanos ? a.team.localeCompare(b.team) : a.spentNanos > b.spentNanos ? -1 : 1));
  const t = totals.rows[0]!;
  const budgetNanos = teams.reduce((s, x) => s + x.budgetNanos, 0n);
  const prevSpent = previous.rows[0]?.spent ?? 0n;
  return {
    month,
    timeZone,
    start: w.start,
    end: w.end,
    spentNanos: t.spent,
    budgetNanos,
    remainingNanos: budgetNanos > t.spent ? budgetNanos - t.spent : 0n,
    overage: { hardNanos: overage.rows[0]?.hard ?? 0n, softNanos: overage.rows[0]?.soft ?? 0n },
    activeEmployees: Number(t.people),
    requests: { priced: Number(t.priced), estimated: Number(t.estimated), unpriced: Number(t.unpriced), usage_missing: Number(t.usage_missing) },
    teams,
    providers: byProvider.rows.map((r) => ({ provider: r.provider, spentNanos: r.spent })),
    previous: {
      month: prevMonth,
      spentNanos: prevSpent,
      changePercent: prevSpent > 0n ? Number(((t.spent - prevSpent) * 1000n) / prevSpent) / 10 : null,
    },
    chain,
  };
}
