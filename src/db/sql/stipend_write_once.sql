-- The guard of every write-once table (usage_events, ledger_checkpoints, audit_log, …):
-- its triggers refuse UPDATE, DELETE and TRUNCATE, whoever asks.
create or replace function stipend_write_once() returns trigger language plpgsql as $fn$
begin
  raise exception '% is write-once: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$fn$;
