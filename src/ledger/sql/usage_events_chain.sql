-- Chains every ledger row to the one before: seq and prev_hash from ledger_head, the row's
-- hash over the previous hash and its canonical text (usage_event_canonical.sql).
create or replace function usage_events_chain() returns trigger language plpgsql as $fn$
declare
  head ledger_head%rowtype;
begin
  select * into head from ledger_head where id for update;
  new.seq := head.seq + 1;
  new.prev_hash := head.hash;
  new.hash := sha256(head.hash || convert_to(usage_event_canonical(new), 'UTF8'));
  update ledger_head set seq = new.seq, hash = new.hash where id;
  return new;
end
$fn$;
