import { sql, type Kysely } from 'kysely';

// Reserves for many requests in one transaction, each all-or-nothing on its own
// wallets exactly as stipend_reserve does. Every wallet the batch names is locked up
// front in id order, so two batches can never deadlock on each other.
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
  v_from integer := 1;
  v_to integer;
begin
  perform 1 from wallets w
    join unnest(p_budget_ids, p_owners, p_starts) as k(budget_id, owner, period_start)
      on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start
   order by w.id for update of w;
  for i in 1 .. cardinality(p_request_ids) loop
    v_to := v_from + p_claim_counts[i] - 1;
    return query
      select i, r.* from stipend_reserve(p_request_ids[i], p_budget_ids[v_from:v_to], p_owners[v_from:v_to],
        p_starts[v_from:v_to], p_ends[v_from:v_to], p_limits[v_from:v_to], p_hard[v_from:v_to],
        p_estimates[i], p_deadlines[i], p_contexts[i]) as r;
    v_from := v_to + 1;
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
