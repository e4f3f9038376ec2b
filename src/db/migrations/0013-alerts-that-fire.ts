import { sql, type Kysely } from 'kysely';

// Alerts beyond thresholds (issue 12): an alert has a kind, and its subject may be a wallet
// (threshold, exhausted, forecast), a team or a person (forecast, anomaly).
// - kind is open text with no CHECK: other migrations add kinds (e.g. 'overage'); every
//   kind but sub-100 % thresholds also goes to the finance recipients.
// - dedupe_key makes an evaluator's re-runs idempotent (unique; NULL for threshold rows,
//   which keep their own unique (wallet_id, threshold)).
// - stipend_exhausted_alert is called by the reservation statement (src/ledger/reserve.ts)
//   for a hard wallet that refused a request: same transaction, once per wallet (= period).
// - budgets.alert_recipients: per-budget finance recipients (Budget spec alertRecipients).
// DDL uses IF NOT EXISTS where another branch may add the same column first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table budgets add column if not exists alert_recipients text[] not null default '{}';

alter table budget_alerts add column if not exists kind text not null default 'threshold';
alter table budget_alerts alter column wallet_id drop not null;
alter table budget_alerts alter column budget_id drop not null;
alter table budget_alerts alter column threshold drop not null;
alter table budget_alerts add column if not exists details jsonb not null default '{}';
alter table budget_alerts add column if not exists dedupe_key text;
alter table budget_alerts add column if not exists finance_fanned_out boolean not null default false;
create unique index if not exists budget_alerts_dedupe on budget_alerts (dedupe_key);
create index if not exists budget_alerts_fan_out on budget_alerts (id) where not finance_fanned_out;
-- Alerts written before finance recipients existed are not mailed to them now.
update budget_alerts set finance_fanned_out = true;

-- A kind CHECK added elsewhere would refuse new kinds: kinds stay open.
do $do$
declare c record;
begin
  for c in select conname from pg_constraint
            where conrelid = 'budget_alerts'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%' loop
    execute format('alter table budget_alerts drop constraint %I', c.conname);
  end loop;
end
$do$;

-- PerMember wallet: its person. Shared wallet: the owners of the budget's target teams,
-- or, for a budget that names only users, those users. Plus the budget's own
-- alertRecipients (finance, per budget) for every alert of that budget.
create or replace function stipend_alert_recipients(p_budget_id bigint, p_owner text) returns setof text
language plpgsql stable as $fn$
begin
  return query select unnest(b.alert_recipients) from budgets b where b.id = p_budget_id;
  if p_owner like 'person:%' then
    return query select p.email from people p where p.id = substr(p_owner, 8)::bigint;
    return;
  end if;
  return query
    select distinct o from budgets b
      join teams t on t.namespace = b.namespace
                  and t.name in (select jsonb_array_elements_text(coalesce(b.target -> 'teams', '[]')))
      cross join unnest(t.owners) as o
     where b.id = p_budget_id;
  if not found then
    return query
      select distinct u from budgets b
        cross join jsonb_array_elements_text(coalesce(b.target -> 'users', '[]')) as u
       where b.id = p_budget_id;
  end if;
end
$fn$;

-- The first refusal on a hard wallet: one alert per wallet (wallets are rows per period).
-- Called while the reservation holds the wallet's row lock, so two batches cannot both
-- insert; the unique dedupe_key is the backstop. Returns the new alert id, or null.
create function stipend_exhausted_alert(p_wallet_id bigint, p_estimate bigint) returns bigint
language plpgsql as $fn$
declare
  v_alert bigint;
  w wallets%rowtype;
begin
  if exists (select 1 from budget_alerts where dedupe_key = 'exhausted:' || p_wallet_id) then
    return null;
  end if;
  select * into w from wallets where id = p_wallet_id;
  insert into budget_alerts (kind, wallet_id, budget_id, owner, period_start, period_end, threshold,
                             spent_nanos, limit_nanos, details, dedupe_key)
  values ('exhausted', w.id, w.budget_id, w.owner, w.period_start, w.period_end, null, w.spent_nanos, w.limit_nanos,
          jsonb_build_object('estimateNanos', p_estimate::text, 'reservedNanos', w.reserved_nanos::text,
                             'remainingNanos', (w.limit_nanos - w.spent_nanos - w.reserved_nanos)::text),
          'exhausted:' || w.id)
  on conflict (dedupe_key) do nothing
  returning id into v_alert;
  if v_alert is not null then
    insert into alert_deliveries (alert_id, channel, recipient)
    select v_alert, 'email', r from stipend_alert_recipients(w.budget_id, w.owner) as r
    union all
    select v_alert, 'webhook', 'webhook'
    on conflict do nothing;
    perform pg_notify('stipend_alerts', w.id::text);
  end if;
  return v_alert;
end
$fn$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `drop function stipend_exhausted_alert;
       drop index budget_alerts_fan_out, budget_alerts_dedupe;
       alter table budget_alerts drop column finance_fanned_out, drop column dedupe_key, drop column details, drop column kind;
       alter table budgets drop column alert_recipients;`,
    )
    .execute(db);
}
