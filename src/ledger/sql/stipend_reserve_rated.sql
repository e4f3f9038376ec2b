-- Reservations for people with per-minute rate limits (ModelPolicy rateLimits), decided in
-- the same transaction and round trip as the money, against counters every gateway replica
-- shares: N replicas admit what one would.
--
-- One row per person in rate_windows holds the current minute's requests and tokens and
-- the previous minute's; a request is admitted while
--   requests: current + previous × (share of the sliding minute still covering it) + 1 ≤ limit
--   tokens:   current + previous × (that share) < limit
-- (the sliding-window counter the per-replica limiter used). Requests are counted here,
-- only when their reservation succeeds; tokens when their ledger row is written
-- (stipend_rate_tokens). Rows are locked in person order before any wallet, the same order
-- the ledger trigger uses, so batches cannot deadlock.
--
-- Arguments are stipend_reserve_many's plus, per request, the person whose limits apply
-- (null: no limits) and the limits. Refused requests come back as one row with `limited`
-- ('requests' | 'tokens') and the milliseconds until the counters could admit them.
create or replace function stipend_reserve_rated(
  p_request_ids text[], p_estimates bigint[], p_deadlines timestamptz[], p_contexts jsonb[], p_claim_counts integer[],
  p_budget_ids bigint[], p_owners text[], p_starts timestamptz[], p_ends timestamptz[], p_limits bigint[], p_hard boolean[],
  p_persons bigint[], p_rpm integer[], p_tpm integer[], p_now timestamptz default null)
returns table (request_index integer, ok boolean, wallet_id bigint, budget_id bigint, hard boolean,
               remaining_nanos bigint, period_end timestamptz, limited text, retry_after_ms integer)
language plpgsql as $fn$
#variable_conflict use_column
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_minute timestamptz;
  v_f double precision;
  v_prev_weight double precision;
  v_n integer := coalesce(cardinality(p_request_ids), 0);
  v_missing boolean;
  v_refused boolean := false;
  k_person bigint[];
  k_req integer[];
  k_tok bigint[];
  k_preq integer[];
  k_ptok bigint[];
  v_slot integer[] := array_fill(0, array[v_n]);
  v_pass boolean[] := array_fill(true, array[v_n]);
  v_ok boolean[] := array_fill(false, array[v_n]);
  v_reason text[] := array_fill(null::text, array[v_n]);
  v_wait double precision[] := array_fill(0::double precision, array[v_n]);
  s integer;
  v_from integer;
  v_to integer;
  x_map integer[] := '{}';
  x_ids text[] := '{}';
  x_est bigint[] := '{}';
  x_dl timestamptz[] := '{}';
  x_ctx jsonb[] := '{}';
  x_cc integer[] := '{}';
  x_bud bigint[] := '{}';
  x_own text[] := '{}';
  x_st timestamptz[] := '{}';
  x_en timestamptz[] := '{}';
  x_lim bigint[] := '{}';
  x_hard boolean[] := '{}';
  r record;
begin
  v_minute := date_trunc('minute', v_now);
  v_f := extract(epoch from (v_now - v_minute)) / 60;
  v_prev_weight := 1 - v_f;

  -- 1. The people's counter rows, locked in person order, rolled to this minute; made on first use.
  for attempt in 1 .. 2 loop
    select array_agg(w.person_id order by w.person_id),
           array_agg(case when w.window_start >= v_minute then w.requests else 0 end order by w.person_id),
           array_agg(case when w.window_start >= v_minute then w.tokens else 0 end order by w.person_id),
           array_agg(case when w.window_start >= v_minute then w.prev_requests
                          when w.window_start = v_minute - interval '1 minute' then w.requests else 0 end order by w.person_id),
           array_agg(case when w.window_start >= v_minute then w.prev_tokens
                          when w.window_start = v_minute - interval '1 minute' then w.tokens else 0 end order by w.person_id)
      into k_person, k_req, k_tok, k_preq, k_ptok
      from (select * from rate_windows where person_id = any(p_persons) order by person_id for update) as w;
    k_person := coalesce(k_person, '{}');
    v_missing := false;
    for i in 1 .. v_n loop
      v_missing := v_missing or (p_persons[i] is not null and array_position(k_person, p_persons[i]) is null);
    end loop;
    exit when not v_missing or attempt = 2;
    -- Someone's first request: the missing rows are made (in person order, so that two
    -- batches making the same rows wait for each other rather than deadlock), then all read again.
    insert into rate_windows (person_id, window_start)
    select x, v_minute from (select distinct x from unnest(p_persons) as x where x is not null and x <> all(k_person)) as m(x)
     order by x
    on conflict (person_id) do nothing;
  end loop;

  -- 2. The rate check, in request order; an admitted request counts for the next one at once.
  for i in 1 .. v_n loop
    continue when p_persons[i] is null;
    s := array_position(k_person, p_persons[i]);
    v_slot[i] := s;
    if p_rpm[i] is not null and k_req[s] + k_preq[s] * v_prev_weight + 1 > p_rpm[i] then
      v_pass[i] := false;
      v_refused := true;
      v_reason[i] := 'requests';
      if k_req[s] + 1 <= p_rpm[i] then
        -- this minute, once the previous one weighs little enough
        v_wait[i] := (1 - (p_rpm[i] - 1 - k_req[s])::double precision / k_preq[s] - v_f) * 60000;
      else
        -- next minute, once this one (then the previous) weighs little enough
        v_wait[i] := (1 - v_f) * 60000 + greatest(0, 1 - (p_rpm[i] - 1)::double precision / k_req[s]) * 60000;
      end if;
    elsif p_tpm[i] is not null and k_tok[s] + k_ptok[s] * v_prev_weight >= p_tpm[i] then
      v_pass[i] := false;
      v_refused := true;
      v_reason[i] := 'tokens';
      if k_tok[s] < p_tpm[i] then
        v_wait[i] := (1 - (p_tpm[i] - k_tok[s])::double precision / k_ptok[s] - v_f) * 60000 + 1;
      else
        v_wait[i] := (1 - v_f) * 60000 + greatest(0, 1 - p_tpm[i]::double precision / k_tok[s]) * 60000 + 1;
      end if;
    else
      k_req[s] := k_req[s] + 1;
    end if;
  end loop;

  -- 3. The money, for the requests the rate check let through (usually all of them: then as given).
  if not v_refused then
    x_ids := p_request_ids; x_est := p_estimates; x_dl := p_deadlines; x_ctx := p_contexts; x_cc := p_claim_counts;
    x_bud := p_budget_ids; x_own := p_owners; x_st := p_starts; x_en := p_ends; x_lim := p_limits; x_hard := p_hard;
  end if;
  v_to := 0;
  for i in 1 .. v_n loop
    exit when not v_refused;
    v_from := v_to + 1;
    v_to := v_to + p_claim_counts[i];
    continue when not v_pass[i];
    x_map := x_map || i;
    x_ids := x_ids || p_request_ids[i];
    x_est := x_est || p_estimates[i];
    x_dl := x_dl || p_deadlines[i];
    x_ctx := x_ctx || p_contexts[i];
    x_cc := x_cc || p_claim_counts[i];
    if v_to >= v_from then
      x_bud := x_bud || p_budget_ids[v_from:v_to];
      x_own := x_own || p_owners[v_from:v_to];
      x_st := x_st || p_starts[v_from:v_to];
      x_en := x_en || p_ends[v_from:v_to];
      x_lim := x_lim || p_limits[v_from:v_to];
      x_hard := x_hard || p_hard[v_from:v_to];
    end if;
  end loop;
  if cardinality(x_ids) > 0 then
    for r in select * from stipend_reserve_many(x_ids, x_est, x_dl, x_ctx, x_cc, x_bud, x_own, x_st, x_en, x_lim, x_hard) loop
      request_index := case when v_refused then x_map[r.request_index] else r.request_index end;
      ok := r.ok;
      wallet_id := r.wallet_id;
      budget_id := r.budget_id;
      hard := r.hard;
      remaining_nanos := r.remaining_nanos;
      period_end := r.period_end;
      limited := null;
      retry_after_ms := null;
      v_ok[request_index] := r.ok;
      return next;
    end loop;
  end if;

  -- 4. Only reserved requests count.
  for i in 1 .. v_n loop
    if v_slot[i] > 0 and v_pass[i] and not v_ok[i] then
      k_req[v_slot[i]] := k_req[v_slot[i]] - 1;
    end if;
  end loop;
  if cardinality(k_person) > 0 then
    update rate_windows w
       set window_start = greatest(w.window_start, v_minute), requests = x.req, tokens = x.tok,
           prev_requests = x.preq, prev_tokens = x.ptok
      from unnest(k_person, k_req, k_tok, k_preq, k_ptok) as x(person_id, req, tok, preq, ptok)
     where w.person_id = x.person_id;
  end if;

  for i in 1 .. v_n loop
    if not v_pass[i] then
      request_index := i;
      ok := false;
      wallet_id := null;
      budget_id := null;
      hard := null;
      remaining_nanos := null;
      period_end := null;
      limited := v_reason[i];
      -- (less a hair of floating-point noise, which would otherwise add a whole millisecond)
      retry_after_ms := greatest(1, ceil(v_wait[i] - 1e-6))::integer;
      return next;
    end if;
  end loop;
end
$fn$;
