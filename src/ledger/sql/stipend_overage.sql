-- The overage of a settlement: what it cost beyond its reservation, when it counts toward
-- spend and one of its wallets is hard (a soft wallet has no limit to overrun).
create or replace function stipend_overage(p_cost bigint, p_estimate bigint, p_counts boolean, p_budget_ids bigint[],
                                p_owners text[], p_period_starts timestamptz[]) returns bigint
language sql stable as $fn$
  select case when p_counts and p_cost > p_estimate and exists (
           select 1 from wallets w
             join unnest(p_budget_ids, p_owners, p_period_starts) as k(budget_id, owner, period_start)
               on w.budget_id = k.budget_id and w.owner = k.owner and w.period_start = k.period_start
            where w.hard)
         then p_cost - p_estimate else 0 end
$fn$;
