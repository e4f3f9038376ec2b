-- A trigger on wallets (not a copy in each settle function) sees every charge path.
drop trigger if exists wallets_threshold_alerts on wallets;
create trigger wallets_threshold_alerts after update of spent_nanos on wallets
  for each row when (new.spent_nanos > old.spent_nanos)
  execute function stipend_threshold_alerts();
