-- One canonical text per ledger row: the chain hashes it, `stipend audit verify` recomputes it.
-- Fields added later (overage 0008, key and service account 0017, serving upstream and its
-- platform 0018) join the text only when set (concat_ws skips NULL), so every row written
-- before hashes exactly as it did.
create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
    -- concat_ws skips NULL: a row without these keeps its original text.
    case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end,
    case when e.api_key_id is not null then 'key=' || e.api_key_id end,
    case when e.service_account is not null then 'service=' || e.service_account end,
    case when e.upstream is not null then 'upstream=' || e.upstream end,
    case when e.platform is not null then 'platform=' || e.platform end)
$fn$;
