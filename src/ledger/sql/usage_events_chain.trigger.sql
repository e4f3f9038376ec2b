drop trigger if exists usage_events_chain on usage_events;
create trigger usage_events_chain before insert on usage_events
  for each row execute function usage_events_chain();
