// Alerts that need a look at the ledger over time, evaluated by `stipend alerts` on a clock:
// month-end forecasts ("projected to exceed") and spend anomalies. Each alert has a dedupe
// key, so any number of runs (or concurrent evaluators) write it once.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';
import { DAY_MS, FORECAST_LOOKBACK_MS, basisFrom, forecastPeriod, judgeDay, runsOutAt } from '../reports/forecast.ts';
import { monthBudgets } from '../reports/month-budgets.ts';
import { monthOf, monthWindow } from '../reports/month-window.ts';
import type { AlertRules } from './alert-rules.schema.ts';
import { ALERTS_CHANNEL } from './dispatch-alerts.ts';
import { openPeriodWallets } from './open-wallets.ts';

export interface EvaluationResult {
  walletsOpened: number;
  forecast: number;
  anomaly: number;
}

interface NewAlert {
  readonly kind: 'forecast' | 'anomaly';
  readonly dedupeKey: string;
  readonly walletId?: bigint;
  readonly budgetId?: bigint;
  readonly owner: string; // 'shared' | 'person:<id>' | 'team:<id>'
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly spentNanos: bigint;
  readonly limitNanos: bigint;
  readonly details: Record<string, string | number>;
  readonly recipients: readonly string[];
}

const COUNTED = sql`pricing_status in ('priced', 'estimated')`;

export async function evaluateAlerts(db: Db, now: Date, rules: AlertRules): Promise<EvaluationResult> {
  const walletsOpened = await openPeriodWallets(db, now);
  const candidates = [...(await walletForecasts(db, now, rules)), ...(await teamForecasts(db, now, rules)), ...(await anomalies(db, now, rules))];
  const result: EvaluationResult = { walletsOpened, forecast: 0, anomaly: 0 };
  for (const a of candidates) if (await insertAlert(db, a)) result[a.kind]++;
  if (result.forecast + result.anomaly > 0) await sql`select pg_notify(${ALERTS_CHANNEL}, 'evaluated')`.execute(db);
  return result;
}

/** Writes the alert and its deliveries in one statement; nothing when its key exists. */
async function insertAlert(db: Db, a: NewAlert): Promise<boolean> {
  const { rows } = await sql<{ id: bigint }>`
    with a as (
      insert into budget_alerts (kind, wallet_id, budget_id, owner, period_start, period_end, threshold, spent_nanos, limit_nanos, details, dedupe_key)
      values (${a.kind}, ${a.walletId ?? null}, ${a.budgetId ?? null}, ${a.owner}, ${a.periodStart}, ${a.periodEnd}, null,
              ${a.spentNanos}, ${a.limitNanos}, ${JSON.stringify(a.details)}::jsonb, ${a.dedupeKey})
      on conflict (dedupe_key) do nothing
      returning id),
    d as (
      insert into alert_deliveries (alert_id, channel, recipient)
      select a.id, 'email', r from a cross join (select distinct unnest(${[...a.recipients]}::text[]) as r) as rs
      union all select a.id, 'webhook', 'webhook' from a
      on conflict do nothing)
    select id from a`.execute(db);
  return rows.length > 0;
}

/** Monthly wallets in their current window: projected past their limit at the trailing-7-day pace. */
async function walletForecasts(db: Db, now: Date, rules: AlertRules): Promise<NewAlert[]> {
  const { rows } = await sql<{
    id: bigint; budget_id: bigint; owner: string; period_start: Date; period_end: Date; spent_nanos: bigint; limit_nanos: bigint; recent: bigint; recipients: string[];
  }>`
    with recent as (
      select wid, sum(e.cost_nanos)::bigint as recent
        from usage_events e cross join unnest(e.wallet_ids) as wid
       where e.occurred_at >= ${new Date(now.getTime() - FORECAST_LOOKBACK_MS)} and e.occurred_at < ${now} and ${COUNTED}
       group by wid)
    select w.id, w.budget_id, w.owner, w.period_start, w.period_end, w.spent_nanos, w.limit_nanos, coalesce(r.recent, 0)::bigint as recent,
           array(select stipend_alert_recipients(w.budget_id, w.owner)) as recipients
      from wallets w
      join budgets b on b.id = w.budget_id
      left join recent r on r.wid = w.id
     where b.period = 'Monthly' and w.period_start <= ${now} and w.period_end > ${now} and w.spent_nanos > 0
       and not exists (select 1 from budget_alerts x where x.dedupe_key = 'forecast:wallet:' || w.id)`.execute(db);
  const alerts: NewAlert[] = [];
  for (const w of rows) {
    const start = new Date(w.period_start);
    const end = new Date(w.period_end);
    if (now.getTime() - start.getTime() < rules.forecastMinDays * DAY_MS) continue;
    const f = forecastPeriod({ periodStart: start, periodEnd: end, now, spentNanos: w.spent_nanos, recentNanos: w.recent });
    // Already past it: the thresholds told; a forecast is news only before.
    if (f.projectedNanos <= w.limit_nanos || w.spent_nanos >= w.limit_nanos) continue;
    alerts.push({
      kind: 'forecast',
      dedupeKey: `forecast:wallet:${w.id}`,
      walletId: w.id,
      budgetId: w.budget_id,
      owner: w.owner,
      periodStart: start,
      periodEnd: end,
      spentNanos: w.spent_nanos,
      limitNanos: w.limit_nanos,
      details: forecastDetails(f, now, end, w.limit_nanos),
      recipients: w.recipients,
    });
  }
  return alerts;
}

function forecastDetails(f: ReturnType<typeof forecastPeriod>, now: Date, end: Date, limit: bigint): Record<string, string | number> {
  const out = runsOutAt(f, now, end, limit);
  return {
    projectedNanos: f.projectedNanos.toString(),
    dailyRateNanos: f.dailyRateNanos.toString(),
    basisFrom: f.basisFrom.toISOString(),
    evaluatedAt: now.toISOString(),
    ...(out ? { runsOutAt: out.toISOString() } : {}),
  };
}

/** Teams over the report month: spend booked to the team against its effective cap. */
async function teamForecasts(db: Db, now: Date, rules: AlertRules): Promise<NewAlert[]> {
  const month = monthOf(now, rules.timeZone);
  const w = monthWindow(month, rules.timeZone);
  if (now.getTime() - w.start.getTime() < rules.forecastMinDays * DAY_MS) return [];
  const from = basisFrom(w.start, now);
  const [spend, budgets, teams] = await Promise.all([
    sql<{ team: string; spent: bigint; recent: bigint }>`
      select team, sum(cost_nanos)::bigint as spent, coalesce(sum(cost_nanos) filter (where occurred_at >= ${from}), 0)::bigint as recent
        from usage_events
       where occurred_at >= ${w.start} and occurred_at < ${now} and team is not null and ${COUNTED}
       group by team`.execute(db),
    monthBudgets(db, month, rules.timeZone, now),
    db.selectFrom('teams').select(['id', 'namespace', 'name', 'owners']).execute(),
  ]);
  const byKey = new Map(teams.map((t) => [`${t.namespace}/${t.name}`, t]));
  const alerts: NewAlert[] = [];
  for (const s of spend.rows) {
    const cap = budgets.teams.get(s.team);
    const team = byKey.get(s.team);
    // A binding Shared cap is a wallet: its own forecast (walletForecasts) tells. A team
    // limited by the sum of its members' allowances has no wallet: this one does.
    if (!cap || !team || cap.capNanos <= 0n || cap.binding === 'Shared') continue;
    const f = forecastPeriod({ periodStart: w.start, periodEnd: w.end, now, spentNanos: s.spent, recentNanos: s.recent });
    if (f.projectedNanos <= cap.capNanos || s.spent >= cap.capNanos) continue;
    alerts.push({
      kind: 'forecast',
      dedupeKey: `forecast:team:${team.id}:${month}`,
      owner: `team:${team.id}`,
      periodStart: w.start,
      periodEnd: w.end,
      spentNanos: s.spent,
      limitNanos: cap.capNanos,
      details: { ...forecastDetails(f, now, w.end, cap.capNanos), binding: cap.binding, timeZone: rules.timeZone },
      recipients: team.owners,
    });
  }
  return alerts;
}

/** Local date (YYYY-MM-DD) `days` after `day`. */
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Today so far and yesterday, per team and per person, against their trailing 14-day median. */
async function anomalies(db: Db, now: Date, rules: AlertRules): Promise<NewAlert[]> {
  const tz = rules.timeZone;
  const today = localDate(now, tz);
  const days = [addDays(today, -1), today];
  const first = addDays(days[0]!, -rules.anomaly.windowDays);
  const [daily, teams, people] = await Promise.all([
    sql<{ day: string; team: string | null; person_id: bigint | null; spent: bigint }>`
      select to_char(occurred_at at time zone ${tz}, 'YYYY-MM-DD') as day, team, person_id, sum(cost_nanos)::bigint as spent
        from usage_events
       where occurred_at >= (${first}::date)::timestamp at time zone ${tz} and occurred_at < ${now} and ${COUNTED}
       group by 1, 2, 3`.execute(db),
    db.selectFrom('teams').select(['id', 'namespace', 'name', 'owners']).execute(),
    db.selectFrom('people').select(['id', 'email']).execute(),
  ]);
  const teamByKey = new Map(teams.map((t) => [`${t.namespace}/${t.name}`, t]));
  const emailOf = new Map(people.map((p) => [String(p.id), p.email]));
  const series = new Map<string, Map<string, bigint>>(); // subject → day → spend
  const add = (subject: string, day: string, v: bigint) => {
    const m = series.get(subject) ?? new Map<string, bigint>();
    m.set(day, (m.get(day) ?? 0n) + v);
    series.set(subject, m);
  };
  for (const r of daily.rows) {
    const team = r.team ? teamByKey.get(r.team) : undefined;
    if (team) add(`team:${team.id}`, r.day, r.spent);
    if (r.person_id !== null) add(`person:${r.person_id}`, r.day, r.spent);
  }
  const alerts: NewAlert[] = [];
  for (const [subject, byDay] of series) {
    for (const day of days) {
      const spent = byDay.get(day) ?? 0n;
      if (spent < rules.anomaly.floorNanos) continue;
      const trailing = Array.from({ length: rules.anomaly.windowDays }, (_, i) => byDay.get(addDays(day, i - rules.anomaly.windowDays)) ?? 0n);
      const verdict = judgeDay(spent, trailing, rules.anomaly);
      if (!verdict.anomalous) continue;
      const id = subject.slice(subject.indexOf(':') + 1);
      const recipients = subject.startsWith('team:') ? (teams.find((t) => String(t.id) === id)?.owners ?? []) : [emailOf.get(id)].filter((e): e is string => !!e);
      alerts.push({
        kind: 'anomaly',
        dedupeKey: `anomaly:${subject}:${day}`,
        owner: subject,
        periodStart: new Date(localMidnight(day, tz)),
        periodEnd: new Date(localMidnight(addDays(day, 1), tz)),
        spentNanos: spent,
        limitNanos: verdict.lineNanos,
        details: {
          day,
          timeZone: tz,
          medianNanos: verdict.medianNanos.toString(),
          factor: rules.anomaly.factor,
          floorNanos: rules.anomaly.floorNanos.toString(),
          windowDays: rules.anomaly.windowDays,
          partialDay: day === today ? 1 : 0,
        },
        recipients,
      });
    }
  }
  return alerts;
}

const localDate = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** The instant a local date starts in `timeZone` (the ledger's own DST-correct day windows). */
function localMidnight(day: string, timeZone: string): number {
  let w = periodWindow('Daily', timeZone, new Date(Date.parse(`${day}T12:00:00Z`)));
  const local = localDate(w.start, timeZone);
  if (local > day) w = periodWindow('Daily', timeZone, new Date(w.start.getTime() - 1));
  else if (local < day) w = periodWindow('Daily', timeZone, w.end);
  return w.start.getTime();
}
