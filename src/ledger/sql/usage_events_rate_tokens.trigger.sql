-- Tokens count toward per-person rate limits when their ledger rows are written (one statement, many rows).
drop trigger if exists usage_events_rate_tokens on usage_events;
create trigger usage_events_rate_tokens after insert on usage_events
  referencing new table as new_rows for each statement execute function stipend_rate_tokens();
