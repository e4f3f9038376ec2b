-- Does a person match a Team's memberSelector? The one definition of selector semantics:
-- applying a Team (every person) and applying a person (every team) both call it.
--   - every field given must match (AND); an empty selector matches nobody, so a typo never
--     selects the whole company;
--   - department, title, costCenter, division, employeeType: exact text;
--   - jobLevels: inclusive range, a person without a level is outside every range
--     (jobLevels: {} constrains nothing, as before this function);
--   - groups: member of at least one of the named directory groups (SCIM Groups), by
--     displayName, case-insensitively (IdPs treat group names that way).
create or replace function stipend_selector_matches(selector jsonb, p people) returns boolean
language sql stable as $$
  select coalesce(selector ?| array['department', 'title', 'costCenter', 'division', 'employeeType', 'groups']
                  or (selector -> 'jobLevels') ?| array['min', 'max'], false)
    and (not selector ? 'department' or p.department = selector ->> 'department')
    and (not selector ? 'title' or p.title = selector ->> 'title')
    and (not selector ? 'costCenter' or p.cost_center = selector ->> 'costCenter')
    and (not selector ? 'division' or p.division = selector ->> 'division')
    and (not selector ? 'employeeType' or p.employee_type = selector ->> 'employeeType')
    and (not coalesce((selector -> 'jobLevels') ?| array['min', 'max'], false) or (
      p.job_level is not null
      and (not selector -> 'jobLevels' ? 'min' or p.job_level >= (selector -> 'jobLevels' ->> 'min')::integer)
      and (not selector -> 'jobLevels' ? 'max' or p.job_level <= (selector -> 'jobLevels' ->> 'max')::integer)))
    and (not selector ? 'groups' or exists (
      select 1
      from directory_group_members m
      join directory_groups g on g.id = m.group_id
      where m.person_id = p.id
        and lower(g.display_name) in (select lower(name) from jsonb_array_elements_text(selector -> 'groups') as name)))
$$;
