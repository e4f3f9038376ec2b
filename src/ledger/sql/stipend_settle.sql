-- Releases a request's reservation, charges its cost and appends its ledger row, in one
-- transaction; idempotent on the request id (a second call finds no reservation). The row's
-- fields come from the reservation's context (written when it was reserved, so the sweeper
-- can settle it too) merged with what the response told. 0017: the key that made the
-- request (api_key_id) and, for a service key, its service account. 0018: the upstream that
-- served it (its configured name) and its platform.
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
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids, overage_nanos, api_key_id, service_account, upstream, platform)
  select p_request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), p_cost, e.pricing_status, e.http_status, e.latency_ms,
    coalesce((select array_agg(w.id order by w.id) from wallets w
              join unnest(r.budget_ids, r.owners, r.period_starts) as k(budget_id, owner, period_start)
                on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start), '{}'),
    stipend_overage(p_cost, r.estimate_nanos, p_counts, r.budget_ids, r.owners, r.period_starts),
    e.api_key_id, e.service_account, e.upstream, e.platform
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
