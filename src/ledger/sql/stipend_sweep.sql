-- Charges reservations whose gateway died at their estimate, marked estimated, through the
-- one settle path (stipend_settle_many). Up to 1,000 per call, oldest deadline first; rows
-- another sweeper holds are skipped. Safe to run on every replica. Returns how many it settled.
create or replace function stipend_sweep(p_now timestamptz) returns integer
language plpgsql as $fn$
declare
  v_ids text[];
  v_costs bigint[];
  v_events jsonb[];
  n integer;
begin
  select array_agg(r.request_id order by r.deadline), array_agg(r.estimate_nanos order by r.deadline),
         array_agg(jsonb_build_object('pricing_status', 'estimated', 'occurred_at', r.created_at) order by r.deadline)
    into v_ids, v_costs, v_events
    from (select request_id, estimate_nanos, created_at, deadline from reservations
           where deadline < p_now order by deadline limit 1000 for update skip locked) r;
  if v_ids is null then
    return 0;
  end if;
  select count(*) into n from stipend_settle_many(v_ids, v_costs, array_fill(true, array[cardinality(v_ids)]), v_events);
  return n;
end
$fn$;
