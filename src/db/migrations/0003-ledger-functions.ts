import { sql, type Kysely } from 'kysely';

// Reserve, settle and sweep as server-side functions: each is ONE round trip and
// one transaction, so concurrent gateways cannot race past a limit and a hot
// wallet's row lock is held only for the statement and its commit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create function stipend_reserve(p_request_id text, p_wallets jsonb, p_estimate bigint,
                                p_deadline timestamptz, p_context jsonb)
returns table (ok boolean, wallet_id bigint, budget_id bigint, hard boolean,
               remaining_nanos bigint, period_end timestamptz)
language plpgsql as $fn$
#variable_conflict use_column
declare
  v_ids bigint[];
begin
  -- Wallets are created lazily: the window is derived from the request time.
  insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard)
  select i.budget_id, i.owner, i.period_start, i.period_end, i.limit_nanos, i.hard
  from jsonb_to_recordset(p_wallets) as i(budget_id bigint, owner text, period_start timestamptz,
                                          period_end timestamptz, limit_nanos bigint, hard boolean)
  order by 1, 2
  on conflict (budget_id, owner, period_start) do nothing;

  -- Lock every wallet in id order (no deadlocks), then decide with the current policy's limits.
  select array_agg(w.id order by w.id) into v_ids
  from wallets w
  join jsonb_to_recordset(p_wallets) as i(budget_id bigint, owner text, period_start timestamptz)
    on w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start;
  perform 1 from wallets where id = any (v_ids) order by id for update;

  if exists (
    select 1 from wallets w
    join jsonb_to_recordset(p_wallets) as i(budget_id bigint, owner text, period_start timestamptz,
                                            limit_nanos bigint, hard boolean)
      on w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start
    where i.hard and w.spent_nanos + w.reserved_nanos + p_estimate > i.limit_nanos
  ) then
    return query
      select false, w.id, w.budget_id, i.hard, i.limit_nanos - w.spent_nanos - w.reserved_nanos, w.period_end
      from wallets w
      join jsonb_to_recordset(p_wallets) as i(budget_id bigint, owner text, period_start timestamptz,
                                              limit_nanos bigint, hard boolean)
        on w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start;
    return;
  end if;

  insert into reservations (request_id, wallet_ids, estimate_nanos, deadline, context)
  values (p_request_id, coalesce(v_ids, '{}'), p_estimate, p_deadline, p_context);

  return query
    update wallets w
       set reserved_nanos = w.reserved_nanos + p_estimate, limit_nanos = i.limit_nanos, hard = i.hard
      from jsonb_to_recordset(p_wallets) as i(budget_id bigint, owner text, period_start timestamptz,
                                              limit_nanos bigint, hard boolean)
     where w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start
    returning true, w.id, w.budget_id, w.hard, w.limit_nanos - w.spent_nanos - w.reserved_nanos, w.period_end;
end
$fn$;

-- Releases the reservation, charges the actual cost and writes the ledger row,
-- idempotent on the request id: a second call finds no reservation and does nothing.
create function stipend_settle(p_request_id text, p_cost bigint, p_counts boolean, p_event jsonb)
returns boolean
language plpgsql as $fn$
declare
  r reservations%rowtype;
begin
  delete from reservations where request_id = p_request_id returning * into r;
  if not found then
    return false;
  end if;
  perform 1 from wallets where id = any (r.wallet_ids) order by id for update;
  update wallets
     set reserved_nanos = reserved_nanos - r.estimate_nanos,
         spent_nanos = spent_nanos + case when p_counts then p_cost else 0 end
   where id = any (r.wallet_ids);
  insert into usage_events (request_id, occurred_at, person_id, email, team, cost_center, provider, model,
    endpoint, stream, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids)
  select p_request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), p_cost, e.pricing_status, e.http_status, e.latency_ms, r.wallet_ids
  from jsonb_populate_record(null::usage_events, r.context || p_event) as e;
  return true;
end
$fn$;

-- Charges reservations whose gateway died at their estimate, marked estimated.
create function stipend_sweep(p_now timestamptz) returns integer
language plpgsql as $fn$
declare
  r reservations%rowtype;
  n integer := 0;
begin
  for r in
    select * from reservations where deadline < p_now order by deadline limit 1000 for update skip locked
  loop
    if stipend_settle(r.request_id, r.estimate_nanos, true,
                      jsonb_build_object('pricing_status', 'estimated', 'occurred_at', r.created_at)) then
      n := n + 1;
    end if;
  end loop;
  return n;
end
$fn$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop function stipend_sweep, stipend_settle, stipend_reserve').execute(db);
}
