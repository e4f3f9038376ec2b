import { sql, type Kysely } from 'kysely';

// Budget threshold alerts, written in the same transaction as the charge. A trigger on
// wallets (not a copy of the settle functions) sees every charge path: stipend_settle,
// stipend_settle_many and the sweeper all end in an UPDATE of wallets.spent_nanos.
// Wallets are rows per period, so "unique per wallet and threshold" alerts once per period.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table budget_alerts (
  id bigserial primary key,
  wallet_id bigint not null references wallets (id),
  budget_id bigint not null references budgets (id),
  owner text not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  threshold integer not null,
  spent_nanos bigint not null,
  limit_nanos bigint not null,
  created_at timestamptz not null default now(),
  unique (wallet_id, threshold)
);
create index budget_alerts_created on budget_alerts (created_at);

-- One row per recipient and channel; the dispatcher claims due rows with skip locked.
create table alert_deliveries (
  id bigserial primary key,
  alert_id bigint not null references budget_alerts (id),
  channel text not null check (channel in ('email', 'webhook')),
  recipient text not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  unique (alert_id, channel, recipient)
);
create index alert_deliveries_due on alert_deliveries (next_attempt_at) where status in ('pending', 'sending');

-- PerMember wallet: its person. Shared wallet: the owners of the budget's target teams,
-- or, for a budget that names only users, those users.
create function stipend_alert_recipients(p_budget_id bigint, p_owner text) returns setof text
language plpgsql stable as $fn$
begin
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

-- Fires only when spent grows. A threshold t is crossed when spent goes from below t% of
-- the wallet's limit to at or above it (compared in numeric: no overflow, no rounding).
create function stipend_threshold_alerts() returns trigger
language plpgsql as $fn$
declare
  v_thresholds integer[];
  t integer;
  v_alert bigint;
  v_any boolean := false;
begin
  select alert_thresholds into v_thresholds from budgets where id = new.budget_id;
  if v_thresholds is null or new.limit_nanos <= 0 then
    return null;
  end if;
  foreach t in array v_thresholds loop
    if old.spent_nanos::numeric * 100 < t::numeric * new.limit_nanos
       and new.spent_nanos::numeric * 100 >= t::numeric * new.limit_nanos then
      v_alert := null;
      insert into budget_alerts (wallet_id, budget_id, owner, period_start, period_end, threshold, spent_nanos, limit_nanos)
      values (new.id, new.budget_id, new.owner, new.period_start, new.period_end, t, new.spent_nanos, new.limit_nanos)
      on conflict (wallet_id, threshold) do nothing
      returning id into v_alert;
      if v_alert is not null then
        insert into alert_deliveries (alert_id, channel, recipient)
        select v_alert, 'email', r from stipend_alert_recipients(new.budget_id, new.owner) as r
        union all
        select v_alert, 'webhook', 'webhook'
        on conflict do nothing;
        v_any := true;
      end if;
    end if;
  end loop;
  if v_any then
    perform pg_notify('stipend_alerts', new.id::text);
  end if;
  return null;
end
$fn$;

create trigger wallets_threshold_alerts after update of spent_nanos on wallets
  for each row when (new.spent_nanos > old.spent_nanos)
  execute function stipend_threshold_alerts();
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `drop trigger wallets_threshold_alerts on wallets;
       drop function stipend_threshold_alerts, stipend_alert_recipients;
       drop table alert_deliveries, budget_alerts;`,
    )
    .execute(db);
}
