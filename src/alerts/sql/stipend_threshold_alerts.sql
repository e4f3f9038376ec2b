-- Fires only when spent grows. A threshold t is crossed when spent goes from below t% of
-- the wallet's limit to at or above it (compared in numeric: no overflow, no rounding).
create or replace function stipend_threshold_alerts() returns trigger
language plpgsql as $fn$
declare
  v_thresholds integer[];
  t integer;
  v_alert bigint;
  v_any boolean := false;
begin
  select alert_thresholds into v_thresholds from budgets where id = new.budget_id;
  if v_thresholds is null or new.limit_nanos <= 0 then
    return null;
  end if;
  foreach t in array v_thresholds loop
    if old.spent_nanos::numeric * 100 < t::numeric * new.limit_nanos
       and new.spent_nanos::numeric * 100 >= t::numeric * new.limit_nanos then
      v_alert := null;
      insert into budget_alerts (wallet_id, budget_id, owner, period_start, period_end, threshold, spent_nanos, limit_nanos)
      values (new.id, new.budget_id, new.owner, new.period_start, new.period_end, t, new.spent_nanos, new.limit_nanos)
      on conflict (wallet_id, threshold) do nothing
      returning id into v_alert;
      if v_alert is not null then
        insert into alert_deliveries (alert_id, channel, recipient)
        select v_alert, 'email', r from stipend_alert_recipients(new.budget_id, new.owner) as r
        union all
        select v_alert, 'webhook', 'webhook'
        on conflict do nothing;
        v_any := true;
      end if;
    end if;
  end loop;
  if v_any then
    perform pg_notify('stipend_alerts', new.id::text);
  end if;
  return null;
end
$fn$;
