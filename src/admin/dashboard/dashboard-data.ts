import { sql } from 'kysely';
import { describeAlert, whoseLabel } from '../../alerts/alert-message.ts';
import { listAlertsBetween } from '../../alerts/alerts.repository.ts';
import type { Db } from '../../db/database.ts';
import { roundToCents } from '../../reports/cents.ts';
import { closedMonths } from '../../reports/closed-months.ts';
import { basisFrom, forecastPeriod } from '../../reports/forecast.ts';
import { monthBudgets } from '../../reports/month-budgets.ts';
import { monthOf, monthWindow } from '../../reports/month-window.ts';
import { teamStatus } from '../../reports/monthly/month-summary.ts';
import { daysBetween, buildSpendReport } from '../../reports/spend-report.ts';
import { teamNames } from '../../reports/spend-report.repository.ts';
import { dollars, type DashboardTable } from './dashboard-table.ts';

const COUNTED = sql`pricing_status in ('priced', 'estimated')`;
const usd = (nanos: bigint) => Number(roundToCents(nanos)) / 100; // for drawing only; labels use exact text
const percentOf = (spent: bigint, cap: bigint): number | null => (cap > 0n ? Number((spent * 1000n) / cap) / 10 : null);
const localDate = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** Months with history, newest first: from the ledger's first month to the current one. */
async function monthsWithHistory(db: Db, current: string, timeZone: string): Promise<string[]> {
  const { rows } = await sql<{ first: Date | null }>`select min(occurred_at) as first from usage_events`.execute(db);
  const first = rows[0]?.first ? monthOf(new Date(rows[0].first), timeZone) : current;
  const months: string[] = [];
  for (let m = current, i = 0; m >= first && i < 240; m = monthOf(new Date(`${m}-15T12:00:00Z`), 'UTC', -1), i++) months.push(m);
  return months;
}

export interface DashboardOptions {
  readonly now: Date;
  readonly timeZone: string;
  readonly month?: string; // default: the current month in timeZone
}

/** What the dashboard shows for one month: spend, the budgets in force that month, forecasts. */
export async function dashboardData(db: Db, options: DashboardOptions) {
  const { now, timeZone } = options;
  const current = monthOf(now, timeZone);
  const month = options.month ?? current;
  const w = monthWindow(month, timeZone);
  const inProgress = month === current;
  const to = inProgress ? localDate(now, timeZone) : w.lastDay;
  const from = basisFrom(w.start, now);

  const [spend, budgets, alerts, closed, months, names, people, recentTeams, recentBudgets] = await Promise.all([
    buildSpendReport(db, { from: w.firstDay, to, timeZone }),
    monthBudgets(db, month, timeZone, now),
    listAlertsBetween(db, w.start, w.end, 50),
    closedMonths(db),
    monthsWithHistory(db, current, timeZone),
    teamNames(db),
    db.selectFrom('people').select(['id', 'email', 'name']).execute(),
    inProgress
      ? sql<{ team: string | null; recent: bigint }>`select team, sum(cost_nanos)::bigint as recent from usage_events
          where occurred_at >= ${from} and occurred_at < ${now} and ${COUNTED} group by team`.execute(db)
      : Promise.resolve({ rows: [] }),
    inProgress
      ? sql<{ budget_id: bigint; recent: bigint }>`select w.budget_id, sum(e.cost_nanos)::bigint as recent
          from usage_events e cross join unnest(e.wallet_ids) as wid join wallets w on w.id = wid
         where e.occurred_at >= ${from} and e.occurred_at < ${now} and ${COUNTED} group by w.budget_id`.execute(db)
      : Promise.resolve({ rows: [] }),
  ]);
  const teamLabel = (key: string) => names.get(key)?.displayName ?? key;
  const personById = new Map(people.map((p) => [String(p.id), p]));
  const personByEmail = new Map(people.map((p) => [p.email, p]));
  const forecast = (spent: bigint, recent: bigint, start = w.start, end = w.end) =>
    inProgress ? forecastPeriod({ periodStart: start, periodEnd: end, now, spentNanos: spent, recentNanos: recent }).projectedNanos : null;

  // Teams: spend booked to the team against its effective cap (the binding one of Shared and PerMember).
  const spentByTeam = new Map(spend.groups.team.map((l) => [l.key, l.spendNanos]));
  const recentByTeam = new Map(recentTeams.rows.map((r) => [r.team ?? '(none)', r.recent]));
  const teamKeys = [...new Set([...budgets.teams.keys(), ...spend.groups.team.filter((l) => l.spendNanos > 0n).map((l) => l.key)])];
  const teams = teamKeys
    .map((key) => {
      const spent = spentByTeam.get(key) ?? 0n;
      const cap = budgets.teams.get(key);
      const capNanos = cap?.capNanos ?? 0n;
      return {
        key,
        label: key === '(none)' ? 'No team' : teamLabel(key),
        costCenter: names.get(key)?.costCenter ?? null,
        spent,
        cap: cap ? capNanos : null,
        binding: cap ? (cap.binding === 'Shared' ? 'Shared cap' : 'Members’ allowances') : '',
        perMember: cap?.perMemberNanos ?? null,
        shared: cap?.sharedNanos ?? null,
        percent: percentOf(spent, capNanos),
        forecast: forecast(spent, recentByTeam.get(key) ?? 0n),
        status: teamStatus(spent, capNanos).status,
      };
    })
    .sort((a, b) => (a.spent === b.spent ? a.label.localeCompare(b.label) : a.spent > b.spent ? -1 : 1));

  // Budgets in force that month (from its wallets), each with what it allowed and what was spent.
  const recentByBudget = new Map(recentBudgets.rows.map((r) => [String(r.budget_id), r.recent]));
  const budgetRows = budgets.budgets.map((b) => {
    const people = b.scope === 'PerMember' ? new Set(b.wallets.map((x) => x.owner)).size : 0;
    const whose = b.scope === 'Shared' ? [...b.teams.map(teamLabel), ...b.users].join(', ') : `${people} ${people === 1 ? 'person' : 'people'} (${b.teams.map(teamLabel).join(', ') || b.users.join(', ')})`;
    const first = b.wallets[0];
    return {
      budget: b.key,
      whose,
      scope: b.scope,
      period: b.period,
      enforcement: b.enforcement,
      limit: b.limitNanos,
      spent: b.spentNanos,
      percent: percentOf(b.spentNanos, b.limitNanos),
      forecast: b.period === 'Monthly' && first ? forecast(b.spentNanos, recentByBudget.get(String(b.budgetId)) ?? 0n, first.periodStart, first.periodEnd) : null,
      active: b.active ? 'yes' : 'no (removed)',
    };
  });

  const peopleRows = spend.groups.person
    .filter((l) => l.spendNanos > 0n || l.counts.priced + l.counts.estimated > 0)
    .map((l) => {
      const p = personByEmail.get(l.label) ?? (l.key.startsWith('person:') ? personById.get(l.key.slice(7)) : undefined);
      const team = p ? budgets.personTeam.get(String(p.id)) : undefined;
      return { name: p?.name ?? '', email: p?.email ?? l.label, team: team ? teamLabel(team) : '', spent: l.spendNanos, requests: l.counts.priced + l.counts.estimated };
    });

  const modelRows = spend.groups.model
    .filter((l) => l.spendNanos > 0n || l.counts.priced + l.counts.estimated > 0)
    .map((l) => ({ model: l.label, spent: l.spendNanos, requests: l.counts.priced + l.counts.estimated, input: l.inputTokens, output: l.outputTokens }));

  // Daily spend and the month's running total; the forecast continues it to the month's end.
  const total = spend.total.spendNanos;
  const totalRecent = recentTeams.rows.reduce((s, r) => s + r.recent, 0n);
  const monthForecast = inProgress ? forecastPeriod({ periodStart: w.start, periodEnd: w.end, now, spentNanos: total, recentNanos: totalRecent }) : null;
  let running = 0n;
  const dailyRows = spend.groups.day.map((d) => {
    running += d.spendNanos;
    return { date: d.key, spent: d.spendNanos, cumulative: running, requests: d.counts.priced + d.counts.estimated };
  });
  const allDays = daysBetween(w.firstDay, w.lastDay);
  const todayIndex = allDays.indexOf(to);
  // A straight line from today's running total to the projected month end.
  const lastIndex = allDays.length - 1;
  const forecastLine = monthForecast
    ? allDays.map((_, i) =>
        i < todayIndex ? null : usd(total + ((monthForecast.projectedNanos - total) * BigInt(i - todayIndex)) / BigInt(Math.max(1, lastIndex - todayIndex))),
      )
    : [];

  const budgetTotal = teams.reduce((s, t) => s + (t.cap ?? 0n), 0n);
  const alertRows = alerts
    .slice()
    .reverse()
    .map((a) => ({
      when: a.createdAt.toISOString().replace('T', ' ').slice(0, 16),
      kind: a.kind === 'threshold' ? `${a.threshold}%` : a.kind,
      whose: whoseLabel(a),
      budget: a.budget ? `${a.budget.namespace}/${a.budget.name}` : (a.team?.key ?? ''),
      message: describeAlert(a).summary,
      delivered: `${a.deliveries.filter((d) => d.status === 'sent').length}/${a.deliveries.length}`,
    }));

  const tables: DashboardTable[] = [
    {
      id: 'teams',
      title: 'Teams',
      empty: 'No team spent or had a budget this month.',
      columns: [
        { key: 'label', label: 'Team', kind: 'text' },
        { key: 'costCenter', label: 'Cost center', kind: 'text' },
        { key: 'spent', label: 'Spent', kind: 'money' },
        { key: 'cap', label: 'Budget (cap)', kind: 'money' },
        { key: 'percent', label: 'Used', kind: 'percent' },
        ...(inProgress ? [{ key: 'forecast', label: 'Forecast', kind: 'money' as const }] : []),
        { key: 'status', label: 'Status', kind: 'text' },
        { key: 'binding', label: 'Cap set by', kind: 'text' },
        { key: 'perMember', label: 'Members’ allowances', kind: 'money' },
        { key: 'shared', label: 'Shared cap', kind: 'money' },
      ],
      rows: teams,
    },
    {
      id: 'budgets',
      title: 'Budgets',
      empty: 'No budget was in force this month.',
      columns: [
        { key: 'budget', label: 'Budget', kind: 'text' },
        { key: 'whose', label: 'Whose', kind: 'text' },
        { key: 'scope', label: 'Scope', kind: 'text' },
        { key: 'period', label: 'Period', kind: 'text' },
        { key: 'enforcement', label: 'Enforcement', kind: 'text' },
        { key: 'limit', label: 'Limit in force', kind: 'money' },
        { key: 'spent', label: 'Spent', kind: 'money' },
        { key: 'percent', label: 'Used', kind: 'percent' },
        ...(inProgress ? [{ key: 'forecast', label: 'Forecast', kind: 'money' as const }] : []),
        { key: 'active', label: 'Active', kind: 'text' },
      ],
      rows: budgetRows,
    },
    {
      id: 'people',
      title: 'People',
      empty: 'Nobody spent this month.',
      pageRows: 25,
      columns: [
        { key: 'name', label: 'Name', kind: 'text' },
        { key: 'email', label: 'Email', kind: 'text' },
        { key: 'team', label: 'Team', kind: 'text' },
        { key: 'spent', label: 'Spent', kind: 'money' },
        { key: 'requests', label: 'Requests', kind: 'int' },
      ],
      rows: peopleRows,
    },
    {
      id: 'models',
      title: 'Models',
      empty: 'No spend this month.',
      pageRows: 10,
      columns: [
        { key: 'model', label: 'Model', kind: 'text' },
        { key: 'spent', label: 'Spent', kind: 'money' },
        { key: 'requests', label: 'Requests', kind: 'int' },
        { key: 'input', label: 'Input tokens', kind: 'int' },
        { key: 'output', label: 'Output tokens', kind: 'int' },
      ],
      rows: modelRows,
    },
    {
      id: 'daily',
      title: 'Daily spend',
      empty: 'No days.',
      pageRows: 0,
      columns: [
        { key: 'date', label: 'Date', kind: 'text' },
        { key: 'spent', label: 'Spent', kind: 'money' },
        { key: 'cumulative', label: 'Month to date', kind: 'money' },
        { key: 'requests', label: 'Requests', kind: 'int' },
      ],
      rows: dailyRows,
    },
    {
      id: 'alerts',
      title: 'Alerts',
      empty: 'No alerts this month.',
      columns: [
        { key: 'when', label: 'When (UTC)', kind: 'text' },
        { key: 'kind', label: 'Alert', kind: 'text' },
        { key: 'whose', label: 'Whose', kind: 'text' },
        { key: 'budget', label: 'Budget', kind: 'text' },
        { key: 'message', label: 'Message', kind: 'text' },
        { key: 'delivered', label: 'Delivered', kind: 'text' },
      ],
      rows: alertRows,
    },
  ];

  return {
    title: `AI Spend — ${monthTitle(month)}`,
    month,
    current,
    inProgress,
    closed: closed.has(month),
    months: months.map((m) => ({ month: m, label: monthTitle(m), closed: closed.has(m) })),
    timeZone,
    generatedAt: now.toISOString(),
    totalNanos: total,
    kpis: [
      { label: inProgress ? 'Spent this month' : 'Spent', value: dollars(total) },
      { label: 'Budget (team caps)', value: dollars(budgetTotal) },
      { label: 'Used', value: budgetTotal > 0n ? `${percentOf(total, budgetTotal)!.toFixed(1)}%` : '—' },
      ...(monthForecast ? [{ label: 'Forecast for the month', value: dollars(monthForecast.projectedNanos) }] : []),
      { label: 'Active employees', value: String(peopleRows.filter((p) => p.requests > 0).length) },
      { label: 'Alerts', value: String(alertRows.length) },
    ],
    chart: {
      teams: teams.filter((t) => t.cap !== null).map((t) => ({ label: t.label, percent: t.percent ?? 0, spent: dollars(t.spent), cap: dollars(t.cap) })),
      days: allDays,
      cumulative: allDays.map((_, i) => (i < dailyRows.length && (!inProgress || i <= todayIndex) ? usd(dailyRows[i]!.cumulative) : null)),
      forecast: forecastLine,
      budget: budgetTotal > 0n ? usd(budgetTotal) : null,
      projected: monthForecast ? dollars(monthForecast.projectedNanos) : null,
    },
    tables,
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;
