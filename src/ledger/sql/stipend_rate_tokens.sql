-- Adds the tokens of newly written ledger rows to the per-minute counters of the people
-- (and service accounts) who have them (rate_windows rows exist only for people with rate limits), in the minute
-- the row is written. A statement trigger: one UPDATE per settlement batch, rows locked in
-- person order like stipend_reserve_rated, and nothing at all while nobody has limits.
create or replace function stipend_rate_tokens() returns trigger
language plpgsql as $fn$
declare
  v_minute timestamptz := date_trunc('minute', clock_timestamp());
begin
  if not exists (select 1 from rate_windows) then
    return null;
  end if;
  -- A service key's row has no person: its counters are keyed by the negated account id,
  -- as the gateway keys its requests (compile-service-accounts.ts).
  with used as (
    select coalesce(n.person_id, -k.service_account_id) as person_id,
           sum(n.input_tokens::bigint + n.cached_input_tokens + n.cache_write_tokens + n.output_tokens) as tokens
      from new_rows n
      left join api_keys k on n.person_id is null and k.id = n.api_key_id
     where coalesce(n.person_id, -k.service_account_id) is not null
     group by 1
  ), locked as (
    select w.person_id from rate_windows w join used u on u.person_id = w.person_id
     order by w.person_id for update of w
  )
  update rate_windows w
     set window_start = greatest(w.window_start, v_minute),
         prev_requests = case when w.window_start >= v_minute then w.prev_requests
                              when w.window_start = v_minute - interval '1 minute' then w.requests else 0 end,
         prev_tokens = case when w.window_start >= v_minute then w.prev_tokens
                            when w.window_start = v_minute - interval '1 minute' then w.tokens else 0 end,
         requests = case when w.window_start >= v_minute then w.requests else 0 end,
         tokens = case when w.window_start >= v_minute then w.tokens else 0 end + u.tokens
    from used u
   where w.person_id = u.person_id and w.person_id in (select person_id from locked);
  return null;
end
$fn$;
