-- Settles a batch in one transaction (the gateway's group commit); see stipend_settle.sql.
-- 0017: api_key_id and service_account carried from the reservation's context; 0018: upstream
-- and platform likewise.
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
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids, overage_nanos, api_key_id, service_account, upstream, platform)
  select r.request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), r.cost, e.pricing_status, e.http_status, e.latency_ms,
    coalesce((select array_agg(w.id order by w.id) from wallets w
              join unnest(r.budget_ids, r.owners, r.period_starts) as k(budget_id, owner, period_start)
                on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start), '{}'),
    stipend_overage(r.cost, r.estimate, r.counts, r.budget_ids, r.owners, r.period_starts),
    e.api_key_id, e.service_account, e.upstream, e.platform
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
