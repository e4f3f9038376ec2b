-- PerMember wallet: its person. Shared wallet: the owners of the budget's target teams,
-- or, for a budget that names only users, those users. Plus the budget's own
-- alertRecipients (finance, per budget) for every alert of that budget.
create or replace function stipend_alert_recipients(p_budget_id bigint, p_owner text) returns setof text
language plpgsql stable as $fn$
begin
  return query select unnest(b.alert_recipients) from budgets b where b.id = p_budget_id;
  if p_owner like 'person:%' then
    return query select p.email from people p where p.id = substr(p_owner, 8)::bigint;
    return;
  end if;
  return query
    select distinct o from budgets b
      join teams t on t.namespace = b.namespace
                  and t.name in (select jsonb_array_elements_text(coalesce(b.target -> 'teams', '[]')))
      cross join unnest(t.owners) as o
     where b.id = p_budget_id;
  if not found then
    return query
      select distinct u from budgets b
        cross join jsonb_array_elements_text(coalesce(b.target -> 'users', '[]')) as u
       where b.id = p_budget_id;
  end if;
end
$fn$;
