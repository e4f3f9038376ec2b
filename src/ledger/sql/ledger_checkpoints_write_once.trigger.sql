-- Signed chain heads are appended, never changed.
drop trigger if exists ledger_checkpoints_no_update on ledger_checkpoints;
create trigger ledger_checkpoints_no_update before update or delete on ledger_checkpoints
  for each row execute function stipend_write_once();
drop trigger if exists ledger_checkpoints_no_truncate on ledger_checkpoints;
create trigger ledger_checkpoints_no_truncate before truncate on ledger_checkpoints
  for each statement execute function stipend_write_once();
