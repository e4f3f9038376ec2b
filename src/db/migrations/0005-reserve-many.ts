import { sql, type Kysely } from 'kysely';

// Reserves for many requests in one transaction. The batch's wallets are locked once,
// in id order (two batches can never deadlock), their balances read once, every request
// decided in order in memory (each all-or-nothing on its own wallets), and the result
// written back with one UPDATE and one INSERT: a hot wallet costs one row lock and one
// row write per batch, not per request.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create function stipend_reserve_many(p_request_ids text[], p_estimates bigint[], p_deadlines timestamptz[],
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
  j integer;
begin
  -- Wallets of a new window are created lazily (rare: once per wallet and period).
  insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard)
  select distinct on (k.budget_id, k.owner, k.period_start) k.*
  from unnest(p_budget_ids, p_owners, p_starts, p_ends, p_limits, p_hard)
    as k(budget_id, owner, period_start, period_end, limit_nanos, hard)
  where not exists (select 1 from wallets w where w.budget_id = k.budget_id and w.owner = k.owner
                                             and w.period_start = k.period_start)
  order by k.budget_id, k.owner, k.period_start
  on conflict (budget_id, owner, period_start) do nothing;

  with k as (select distinct * from unnest(p_budget_ids, p_owners, p_starts) as k(budget_id, owner, period_start)),
  l as (
    select w.* from wallets w join k on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start
    order by w.id for update of w
  )
  select array_agg(l.id order by l.id), array_agg(l.budget_id order by l.id), array_agg(l.owner order by l.id),
         array_agg(l.period_start order by l.id), array_agg(l.period_end order by l.id),
         array_agg(l.spent_nanos order by l.id), array_agg(l.reserved_nanos order by l.id),
         array_agg(l.limit_nanos order by l.id), array_agg(l.hard order by l.id)
    into w_ids, w_budget, w_owner, w_start, w_end, w_spent, w_reserved, w_limit, w_hard
    from l;

  -- Each claim's wallet slot; the current policy's limit and enforcement win.
  for c in 1 .. coalesce(cardinality(p_budget_ids), 0) loop
    for s in 1 .. coalesce(cardinality(w_ids), 0) loop
      if w_budget[s] = p_budget_ids[c] and w_owner[s] = p_owners[c] and w_start[s] = p_starts[c] then
        v_slot[c] := s;
        w_limit[s] := p_limits[c];
        w_hard[s] := p_hard[c];
        exit;
      end if;
    end loop;
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

  v_to := 0;
  for i in 1 .. v_n loop
    v_from := v_to + 1;
    v_to := v_to + p_claim_counts[i];
    if v_ok[i] then
      insert into reservations (request_id, budget_ids, owners, period_starts, estimate_nanos, deadline, context)
      values (p_request_ids[i], p_budget_ids[v_from:v_to], p_owners[v_from:v_to], p_starts[v_from:v_to],
              p_estimates[i], p_deadlines[i], p_contexts[i]);
    end if;
  end loop;
end
$fn$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop function stipend_reserve_many').execute(db);
}
