import { sql, type Kysely } from 'kysely';

// Reserve, settle and sweep as server-side functions: each is ONE round trip and one
// transaction, so concurrent gateways cannot race past a limit. They are written to
// hold a hot wallet's row lock as briefly as possible: everything that does not need
// the lock happens before it is taken, and the global ledger-chain lock is taken last.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- A reservation remembers its wallets by their natural key (budget, owner, window start),
-- so it can be written before any wallet row is locked.
alter table reservations drop column wallet_ids;
alter table reservations add column budget_ids bigint[] not null default '{}';
alter table reservations add column owners text[] not null default '{}';
alter table reservations add column period_starts timestamptz[] not null default '{}';

create function stipend_reserve(p_request_id text, p_budget_ids bigint[], p_owners text[],
                                p_starts timestamptz[], p_ends timestamptz[], p_limits bigint[],
                                p_hard boolean[], p_estimate bigint, p_deadline timestamptz, p_context jsonb)
returns table (ok boolean, wallet_id bigint, budget_id bigint, hard boolean,
               remaining_nanos bigint, period_end timestamptz)
language plpgsql as $fn$
#variable_conflict use_column
declare
  v_wanted integer := cardinality(p_budget_ids);
  v_count integer;
  v_ids bigint[];
  v_budgets bigint[];
  v_hard boolean[];
  v_remaining bigint[];
  v_ends timestamptz[];
  v_missing boolean;
begin
  insert into reservations (request_id, budget_ids, owners, period_starts, estimate_nanos, deadline, context)
  values (p_request_id, p_budget_ids, p_owners, p_starts, p_estimate, p_deadline, p_context);

  for attempt in 1..2 loop
    -- Lock the wallets in id order (no deadlocks), then add the estimate where a hard
    -- wallet still has room under the current policy's limit. One statement.
    with i as (
      select * from unnest(p_budget_ids, p_owners, p_starts, p_limits, p_hard)
        as i(budget_id, owner, period_start, limit_nanos, hard)
    ), l as (
      select w.id from wallets w join i using (budget_id, owner, period_start) order by w.id for update of w
    ), u as (
      update wallets w
         set reserved_nanos = w.reserved_nanos + p_estimate, limit_nanos = i.limit_nanos, hard = i.hard
        from i
       where w.id in (select id from l)
         and w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start
         and (not i.hard or w.spent_nanos + w.reserved_nanos + p_estimate <= i.limit_nanos)
      returning w.id, w.budget_id, w.hard, w.limit_nanos - w.spent_nanos - w.reserved_nanos as remaining, w.period_end
    )
    select count(*)::integer, array_agg(u.id), array_agg(u.budget_id), array_agg(u.hard), array_agg(u.remaining), array_agg(u.period_end)
      into v_count, v_ids, v_budgets, v_hard, v_remaining, v_ends
      from u;

    if v_count = v_wanted then
      return query select true, x.* from unnest(v_ids, v_budgets, v_hard, v_remaining, v_ends) as x;
      return;
    end if;

    -- Not every wallet took it: undo (invisible to others, the locks are still ours).
    if v_count > 0 then
      update wallets set reserved_nanos = reserved_nanos - p_estimate where id = any (v_ids);
    end if;

    -- A new window's wallets are created lazily, then the reservation is tried once more.
    select exists (
      select 1 from unnest(p_budget_ids, p_owners, p_starts) as i(budget_id, owner, period_start)
      where not exists (select 1 from wallets w where w.budget_id = i.budget_id and w.owner = i.owner
                                                  and w.period_start = i.period_start)
    ) into v_missing;
    exit when not v_missing or attempt = 2;
    insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard)
    select * from unnest(p_budget_ids, p_owners, p_starts, p_ends, p_limits, p_hard)
    order by 1, 2
    on conflict (budget_id, owner, period_start) do nothing;
  end loop;

  delete from reservations where request_id = p_request_id;
  return query
    select false, w.id, w.budget_id, i.hard, i.limit_nanos - w.spent_nanos - w.reserved_nanos, w.period_end
    from wallets w
    join unnest(p_budget_ids, p_owners, p_starts, p_limits, p_hard)
      as i(budget_id, owner, period_start, limit_nanos, hard)
      on w.budget_id = i.budget_id and w.owner = i.owner and w.period_start = i.period_start;
end
$fn$;

-- Releases the reservation, charges the cost and writes the ledger row, idempotent on
-- the request id: a second call finds no reservation and does nothing.
create function stipend_settle(p_request_id text, p_cost bigint, p_counts boolean, p_event jsonb)
returns boolean
language plpgsql as $fn$
declare
  r reservations%rowtype;
  v_ids bigint[];
begin
  delete from reservations where request_id = p_request_id returning * into r;
  if not found then
    return false;
  end if;
  with i as (
    select * from unnest(r.budget_ids, r.owners, r.period_starts) as i(budget_id, owner, period_start)
  ), l as (
    select w.id from wallets w join i using (budget_id, owner, period_start) order by w.id for update of w
  ), u as (
    update wallets w
       set reserved_nanos = w.reserved_nanos - r.estimate_nanos,
           spent_nanos = w.spent_nanos + case when p_counts then p_cost else 0 end
     where w.id in (select id from l)
    returning w.id
  )
  select array_agg(u.id order by u.id) into v_ids from u;
  -- Last: the chain trigger's lock is shared by every settlement, so it is held shortest.
  insert into usage_events (request_id, occurred_at, person_id, email, team, cost_center, provider, model,
    endpoint, stream, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
    cost_nanos, pricing_status, http_status, latency_ms, wallet_ids)
  select p_request_id, coalesce(e.occurred_at, r.created_at), e.person_id, e.email, e.team, e.cost_center,
    e.provider, e.model, e.endpoint, coalesce(e.stream, false), coalesce(e.input_tokens, 0),
    coalesce(e.cached_input_tokens, 0), coalesce(e.cache_write_tokens, 0), coalesce(e.output_tokens, 0),
    coalesce(e.reasoning_tokens, 0), p_cost, e.pricing_status, e.http_status, e.latency_ms, coalesce(v_ids, '{}')
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
