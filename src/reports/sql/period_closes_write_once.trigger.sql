-- A closed month's books (its record and its files) are stored once, never changed.
drop trigger if exists period_closes_no_update on period_closes;
create trigger period_closes_no_update before update or delete on period_closes
  for each row execute function stipend_write_once();
drop trigger if exists period_closes_no_truncate on period_closes;
create trigger period_closes_no_truncate before truncate on period_closes
  for each statement execute function stipend_write_once();
drop trigger if exists period_close_files_no_update on period_close_files;
create trigger period_close_files_no_update before update or delete on period_close_files
  for each row execute function stipend_write_once();
drop trigger if exists period_close_files_no_truncate on period_close_files;
create trigger period_close_files_no_truncate before truncate on period_close_files
  for each statement execute function stipend_write_once();
