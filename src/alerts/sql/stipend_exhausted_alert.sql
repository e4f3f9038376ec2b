-- The first refusal on a hard wallet: one alert per wallet (wallets are rows per period).
-- Called while the reservation holds the wallet's row lock, so two batches cannot both
-- insert; the unique dedupe_key is the backstop. Returns the new alert id, or null.
create or replace function stipend_exhausted_alert(p_wallet_id bigint, p_estimate bigint) returns bigint
language plpgsql as $fn$
declare
  v_alert bigint;
  w wallets%rowtype;
begin
  if exists (select 1 from budget_alerts where dedupe_key = 'exhausted:' || p_wallet_id) then
    return null;
  end if;
  select * into w from wallets where id = p_wallet_id;
  insert into budget_alerts (kind, wallet_id, budget_id, owner, period_start, period_end, threshold,
                             spent_nanos, limit_nanos, details, dedupe_key)
  values ('exhausted', w.id, w.budget_id, w.owner, w.period_start, w.period_end, null, w.spent_nanos, w.limit_nanos,
          jsonb_build_object('estimateNanos', p_estimate::text, 'reservedNanos', w.reserved_nanos::text,
                             'remainingNanos', (w.limit_nanos - w.spent_nanos - w.reserved_nanos)::text),
          'exhausted:' || w.id)
  on conflict (dedupe_key) do nothing
  returning id into v_alert;
  if v_alert is not null then
    insert into alert_deliveries (alert_id, channel, recipient)
    select v_alert, 'email', r from stipend_alert_recipients(w.budget_id, w.owner) as r
    union all
    select v_alert, 'webhook', 'webhook'
    on conflict do nothing;
    perform pg_notify('stipend_alerts', w.id::text);
  end if;
  return v_alert;
end
$fn$;
