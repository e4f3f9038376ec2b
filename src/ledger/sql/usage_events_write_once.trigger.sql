-- The ledger is write-once: no UPDATE, DELETE or TRUNCATE, whoever asks.
drop trigger if exists usage_events_no_update on usage_events;
create trigger usage_events_no_update before update or delete on usage_events
  for each row execute function stipend_write_once();
drop trigger if exists usage_events_no_truncate on usage_events;
create trigger usage_events_no_truncate before truncate on usage_events
  for each statement execute function stipend_write_once();
