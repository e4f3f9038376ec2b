-- After the wallets are charged: one 'overage' alert per hard wallet and period, delivered
-- to the wallet's recipients (its person, or the budget's team owners) through the outbox.
create or replace function stipend_overage_alerts(p_request_ids text[]) returns void
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
