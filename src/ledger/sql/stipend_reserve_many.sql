-- Reserves the worst case of a batch of requests in one transaction, each all-or-nothing on
-- its own wallets (wallets are created for the period on first use). The gateway calls it
-- directly, or through stipend_reserve_rated when someone in the batch has rate limits.
create or replace function stipend_reserve_many(p_request_ids text[], p_estimates bigint[], p_deadlines timestamptz[],
                                     p_contexts jsonb[], p_claim_counts integer[], p_budget_ids bigint[],
                                     p_owners text[], p_starts timestamptz[], p_ends timestamptz[],
                                     p_limits bigint[], p_hard boolean[])
returns table (request_index integer, ok boolean, wallet_id bigint, budget_id bigint, hard boolean,
               remaining_nanos bigint, period_end timestamptz)
language plpgsql as $fn$
#variable_conflict use_column
declare
  w_ids bigint[]; w_budget bigint[]; w_owner text[]; w_start timestamptz[]; w_end timestamptz[];
  w_spent bigint[]; w_reserved bigint[]; w_limit bigint[]; w_hard boolean[];
  v_n integer := cardinality(p_request_ids);
  v_ok boolean[] := array_fill(false, array[v_n]);
  v_slot integer[] := array_fill(0, array[cardinality(p_budget_ids)]);
  v_from integer;
  v_to integer;
  v_fits boolean;
  v_est bigint;
  v_missing boolean;
  j integer;
begin
  for attempt in 1 .. 2 loop
    -- Locked in id order; the aggregates keep the subquery's order.
    select array_agg(l.id), array_agg(l.budget_id), array_agg(l.owner), array_agg(l.period_start),
           array_agg(l.period_end), array_agg(l.spent_nanos), array_agg(l.reserved_nanos),
           array_agg(l.limit_nanos), array_agg(l.hard)
      into w_ids, w_budget, w_owner, w_start, w_end, w_spent, w_reserved, w_limit, w_hard
      from (
        select w.* from wallets w
        where (w.budget_id, w.owner, w.period_start) in
              (select * from unnest(p_budget_ids, p_owners, p_starts))
        order by w.id for update of w
      ) as l;

    -- Each claim's wallet slot; the current policy's limit and enforcement win.
    v_missing := false;
    for c in 1 .. coalesce(cardinality(p_budget_ids), 0) loop
      v_slot[c] := 0;
      for s in 1 .. coalesce(cardinality(w_ids), 0) loop
        if w_budget[s] = p_budget_ids[c] and w_owner[s] = p_owners[c] and w_start[s] = p_starts[c] then
          v_slot[c] := s;
          w_limit[s] := p_limits[c];
          w_hard[s] := p_hard[c];
          exit;
        end if;
      end loop;
      v_missing := v_missing or v_slot[c] = 0;
    end loop;
    exit when not v_missing or attempt = 2;

    -- A new window's wallets are created lazily (once per wallet and period), then read again.
    insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard)
    select distinct on (k.budget_id, k.owner, k.period_start) k.*
    from unnest(p_budget_ids, p_owners, p_starts, p_ends, p_limits, p_hard)
      as k(budget_id, owner, period_start, period_end, limit_nanos, hard)
    order by k.budget_id, k.owner, k.period_start
    on conflict (budget_id, owner, period_start) do nothing;
  end loop;

  -- Requests in order: all of a request's hard wallets must have room, or it takes nothing.
  v_to := 0;
  for i in 1 .. v_n loop
    v_from := v_to + 1;
    v_to := v_to + p_claim_counts[i];
    v_est := p_estimates[i];
    v_fits := p_claim_counts[i] > 0;
    for c in v_from .. v_to loop
      j := v_slot[c];
      if j = 0 or (w_hard[j] and w_spent[j] + w_reserved[j] + v_est > w_limit[j]) then
        v_fits := false;
      end if;
    end loop;
    if v_fits then
      for c in v_from .. v_to loop
        w_reserved[v_slot[c]] := w_reserved[v_slot[c]] + v_est;
      end loop;
      v_ok[i] := true;
    end if;
    for c in v_from .. v_to loop
      j := v_slot[c];
      if j > 0 then
        request_index := i; ok := v_fits; wallet_id := w_ids[j]; budget_id := w_budget[j]; hard := w_hard[j];
        remaining_nanos := w_limit[j] - w_spent[j] - w_reserved[j]; period_end := w_end[j];
        return next;
      end if;
    end loop;
  end loop;

  update wallets w set reserved_nanos = x.reserved, limit_nanos = x.lim, hard = x.hard
    from unnest(w_ids, w_reserved, w_limit, w_hard) as x(id, reserved, lim, hard)
   where w.id = x.id;

  insert into reservations (request_id, budget_ids, owners, period_starts, estimate_nanos, deadline, context)
  select p_request_ids[i], p_budget_ids[f:f + p_claim_counts[i] - 1], p_owners[f:f + p_claim_counts[i] - 1],
         p_starts[f:f + p_claim_counts[i] - 1], p_estimates[i], p_deadlines[i], p_contexts[i]
  from (select i, 1 + coalesce(sum(p_claim_counts[i]) over (order by i rows between unbounded preceding and 1 preceding), 0)::integer as f
        from generate_subscripts(p_request_ids, 1) as i) as r
  where v_ok[i];
end
$fn$;
