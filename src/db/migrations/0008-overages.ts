import { sql, type Kysely } from 'kysely';

// Overages: a settlement above its reservation on a hard wallet is charged truthfully
// (spent may pass the limit, so the wallet refuses what follows) and recorded three ways:
// - usage_events.overage_nanos: cost − reservation, part of the row's chained hash. The
//   canonical text gains the field only when it is non-zero, so every row written before
//   (all 0) hashes exactly as it did and `stipend audit verify` keeps passing for them;
// - one 'overage' alert per hard wallet and period, to the wallet's recipients (the alert
//   outbox of 0006; `kind` open text, `details` and `dedupe_key` as 0013 defines them: the
//   columns are created here with IF NOT EXISTS because this migration runs first);
// - the gateway's stipend_overages_total metric.
// The settle functions of 0003 and 0004 are redefined with the overage; they are the only
// writers of usage_events.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table usage_events add column overage_nanos bigint not null default 0;

create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
    -- concat_ws skips NULL: a row without overage keeps its original text.
    case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end)
$fn$;

alter table budget_alerts add column if not exists kind text not null default 'threshold';
alter table budget_alerts alter column threshold drop not null;
alter table budget_alerts add column if not exists details jsonb not null default '{}';
alter table budget_alerts add column if not exists dedupe_key text;
-- Threshold alerts stay unique per (wallet, threshold); an overage alerts once per wallet
-- (wallets are rows per period) through dedupe_key 'overage:<wallet id>'.
create unique index if not exists budget_alerts_dedupe on budget_alerts (dedupe_key);

-- The overage of a settlement: what it cost beyond its reservation, when it counts toward
-- spend and one of its wallets is hard (a soft wallet has no limit to overrun).
create function stipend_overage(p_cost bigint, p_estimate bigint, p_counts boolean, p_budget_ids bigint[],
                                p_owners text[], p_period_starts timestamptz[]) returns bigint
language sql stable as $fn$
  select case when p_counts and p_cost > p_estimate and exists (
           select 1 from wallets w
             join unnest(p_budget_ids, p_owners, p_period_starts) as k(budget_id, owner, period_start)
               on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start
            where w.hard)
         then p_cost - p_estimate else 0 end
$fn$;

-- After the wallets are charged: one 'overage' alert per hard wallet and period, delivered
-- to the wallet's recipients (its person, or the budget's team owners) through the outbox.
create function stipend_overage_alerts(p_request_ids text[]) returns void
language plpgsql as $fn$
declare
  a record;
  v_any boolean := false;
begin
  for a in
    insert into budget_alerts (wallet_id, budget_id, owner, period_start, period_end, threshold, spent_nanos,
                               limit_nanos, kind, details, dedupe_key)
    select distinct on (w.id) w.id, w.budget_id, w.owner, w.period_start, w.period_end, null, w.spent_nanos,
           w.limit_nanos, 'overage',
           jsonb_build_object('requestId', e.request_id, 'overageNanos', e.overage_nanos::text, 'costNanos', e.cost_nanos::text),
           'overage:' || w.id
      from usage_events e
      join wallets w on w.id = any(e.wallet_ids) and w.hard
     where e.request_id = any(p_request_ids) and e.overage_nanos > 0
     order by w.id, e.overage_nanos desc
    on conflict (dedupe_key) do nothing
    returning id, wallet_id, budget_id, owner
  loop
    insert into alert_deliveries (alert_id, channel, recipient)
    select a.id, 'email', r from stipend_alert_recipients(a.budget_id, a.owner) as r
    union all
    select a.id, 'webhook', 'webhook'
    on conflict do nothing;
    v_any := true;
  end loop;
  if v_any then
    perform pg_notify('stipend_alerts', 'overage');
  end if;
end
$fn$;

create or replace function stipend_settle(p_request_id text, p_cost bigint, p_counts boolean, p_event jsonb)
returns boolean
language plpgsql as $fn$
declare
  r reservations%rowtype;
begin
  delete from reservations where request_id = p_request_id returning * into r;
  if not found then
    return false;
  end if;
  -- Ledger row first, wallets last: the same lock order as stipend_settle_many.
  insert into usage_events (request_id, occurred_at, person_id, email, team, cost_center, provider, model,
    endpoint, stream, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids, overage_nanos)
  select p_request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), p_cost, e.pricing_status, e.http_status, e.latency_ms,
    coalesce((select array_agg(w.id order by w.id) from wallets w
              join unnest(r.budget_ids, r.owners, r.period_starts) as k(budget_id, owner, period_start)
                on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start), '{}'),
    stipend_overage(p_cost, r.estimate_nanos, p_counts, r.budget_ids, r.owners, r.period_starts)
  from jsonb_populate_record(null::usage_events, r.context || p_event) as e;
  with i as (
    select * from unnest(r.budget_ids, r.owners, r.period_starts) as i(budget_id, owner, period_start)
  ), l as (
    select w.id from wallets w join i using (budget_id, owner, period_start) order by w.id for update of w
  )
  update wallets w
     set reserved_nanos = w.reserved_nanos - r.estimate_nanos,
         spent_nanos = w.spent_nanos + case when p_counts then p_cost else 0 end
   where w.id in (select id from l);
  if p_counts and p_cost > r.estimate_nanos then
    perform stipend_overage_alerts(array[p_request_id]);
  end if;
  return true;
end
$fn$;

create or replace function stipend_settle_many(p_ids text[], p_costs bigint[], p_counts boolean[], p_events jsonb[])
returns setof text
language plpgsql as $fn$
declare
  v_rows jsonb;
  v_over text[];
begin
  -- 1. Take the reservations (idempotency: a request already settled has none).
  with x as (
    select * from unnest(p_ids, p_costs, p_counts, p_events) as x(request_id, cost, counts, event)
  ), d as (
    delete from reservations r using x where r.request_id = x.request_id
    returning r.request_id, r.budget_ids, r.owners, r.period_starts, r.estimate_nanos, r.created_at,
              r.context || x.event as event, x.cost, x.counts
  )
  select jsonb_agg(jsonb_build_object('request_id', d.request_id, 'created_at', d.created_at, 'event', d.event,
                                      'cost', d.cost, 'counts', d.counts, 'estimate', d.estimate_nanos,
                                      'budget_ids', d.budget_ids, 'owners', d.owners,
                                      'period_starts', d.period_starts) order by d.request_id)
    into v_rows from d;
  if v_rows is null then
    return;
  end if;

  -- 2. The ledger rows. The chain lock is contended only by other settlements, so it is
  -- taken before the wallets: a hot wallet stays locked only for step 3, and reservations
  -- on it do not wait behind the ledger writes.
  return query
  insert into usage_events (request_id, occurred_at, person_id, email, team, cost_center, provider, model,
    endpoint, stream, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids, overage_nanos)
  select r.request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), r.cost, e.pricing_status, e.http_status, e.latency_ms,
    coalesce((select array_agg(w.id order by w.id) from wallets w
              join unnest(r.budget_ids, r.owners, r.period_starts) as k(budget_id, owner, period_start)
                on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start), '{}'),
    stipend_overage(r.cost, r.estimate, r.counts, r.budget_ids, r.owners, r.period_starts)
  from jsonb_to_recordset(v_rows) as r(request_id text, created_at timestamptz, event jsonb, cost bigint,
                                       estimate bigint, counts boolean, budget_ids bigint[], owners text[],
                                       period_starts timestamptz[])
  cross join lateral jsonb_populate_record(null::usage_events, r.event) as e
  order by r.request_id
  returning usage_events.request_id;

  -- 3. Release and charge, summed per wallet, wallets locked in id order.
  with d as (
    select * from jsonb_to_recordset(v_rows) as r(cost bigint, counts boolean, estimate bigint,
                                                  budget_ids bigint[], owners text[], period_starts timestamptz[])
  ), c as (
    select k.budget_id, k.owner, k.period_start, sum(d.estimate) as released,
           sum(case when d.counts then d.cost else 0 end) as charged
    from d cross join lateral unnest(d.budget_ids, d.owners, d.period_starts) as k(budget_id, owner, period_start)
    group by 1, 2, 3
  ), l as (
    select w.id from wallets w join c using (budget_id, owner, period_start) order by w.id for update of w
  )
  update wallets w
     set reserved_nanos = w.reserved_nanos - c.released, spent_nanos = w.spent_nanos + c.charged
    from c
   where w.id in (select id from l)
     and w.budget_id = c.budget_id and w.owner = c.owner and w.period_start = c.period_start;

  -- 4. Overages, alerted with the wallets' charged balances.
  select array_agg(r.request_id) into v_over
    from jsonb_to_recordset(v_rows) as r(request_id text, cost bigint, estimate bigint, counts boolean)
   where r.counts and r.cost > r.estimate;
  if v_over is not null then
    perform stipend_overage_alerts(v_over);
  end if;
end
$fn$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The 0003/0004 settle functions are restored by re-running their \`up\` after this.
  await sql
    .raw(
      `drop function stipend_overage_alerts(text[]);
       drop function stipend_overage(bigint, bigint, boolean, bigint[], text[], timestamptz[]);
       create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
         select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
           coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
           e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
           e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
           coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','))
       $fn$;
       delete from alert_deliveries where alert_id in (select id from budget_alerts where kind = 'overage');
       delete from budget_alerts where kind = 'overage';
       alter table usage_events drop column overage_nanos;`,
    )
    .execute(db);
}
