import { listAlerts } from '../../alerts/alerts.repository.ts';
import type { Db } from '../../db/database.ts';
import { allocateCents, formatDollars, roundToCents } from '../../reports/cents.ts';
import { monthOf } from '../../reports/month-window.ts';
import { buildMonthSummary } from '../../reports/monthly/month-summary.ts';
import { presentSummary } from '../../reports/monthly/monthly-report.render.ts';
import { buildSpendReport } from '../../reports/spend-report.ts';

const dollars = (cents: bigint) => Number(cents) / 100; // for drawing only; labels use the exact text

/** What the dashboard shows: this month (in the report time zone) so far. */
export async function dashboardData(db: Db, now: Date, timeZone: string) {
  const month = monthOf(now, timeZone);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [summary, spend, alerts] = await Promise.all([
    buildMonthSummary(db, month, timeZone),
    buildSpendReport(db, { from: `${month}-01`, to: today, timeZone }),
    listAlerts(db, { limit: 10 }),
  ]);
  const p = presentSummary(summary);
  const top = <T extends { spendNanos: bigint }>(lines: readonly T[], n: number) => lines.filter((l) => l.spendNanos > 0n).slice(0, n);
  return {
    title: `AI Spend — ${p.title.replace('AI spend report — ', '')}`,
    month,
    timeZone,
    generatedAt: now.toISOString(),
    kpis: [
      { label: 'Spent this month', value: p.total },
      { label: 'Budget', value: p.budget },
      { label: 'Remaining', value: p.remaining },
      { label: 'Active employees', value: String(summary.activeEmployees) },
      { label: 'Hard-budget overage', value: p.hardOverage },
    ],
    teams: p.teams.map((t) => ({
      label: t.label,
      costCenter: t.costCenter,
      spent: t.spent,
      budget: t.budget,
      percent: t.percentText,
      status: t.status,
      spentUsd: dollars(t.spentCents),
      budgetUsd: dollars(roundToCents(t.budgetNanos)),
    })),
    daily: spend.groups.day.map((d) => ({ date: d.key, usd: dollars(d.spendCents) })),
    topModels: withCents(top(spend.groups.model, 5)).map((l) => ({ label: l.label, spent: formatDollars(l.cents), requests: l.counts.priced + l.counts.estimated })),
    topPeople: withCents(top(spend.groups.person, 10)).map((l) => ({ label: l.label, spent: formatDollars(l.cents), requests: l.counts.priced + l.counts.estimated })),
    alerts: alerts.map((a) => ({
      at: a.createdAt.toISOString().replace('T', ' ').slice(0, 16),
      budget: `${a.budget.namespace}/${a.budget.name}`,
      who: a.personEmail ?? (a.budget.teams.join(', ') || 'shared'),
      threshold: `${a.threshold}%`,
      delivered: `${a.deliveries.filter((d) => d.status === 'sent').length}/${a.deliveries.length}`,
    })),
    quality: summary.requests,
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;

/** Each line's own cents (a top-N list is not a partition of the total, so no allocation across it). */
function withCents<T extends { spendNanos: bigint }>(lines: readonly T[]): (T & { cents: bigint })[] {
  return lines.map((l) => ({ ...l, cents: allocateCents([l.spendNanos])[0]! }));
}
