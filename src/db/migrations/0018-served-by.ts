import { sql, type Kysely } from 'kysely';

// Where a request was served (issue 13): `upstream` is the configured upstream's name (the
// contract it bills to, e.g. bedrock-us-east-1) and `platform` its kind (openai, anthropic,
// gemini, azure-openai, bedrock, vertex-ai). `provider` keeps naming the model's maker, which
// is what allow lists and the catalog speak. Both join the row's chained hash the way 0008's
// overage and 0017's key did: only when set, so every row written before keeps its text and its
// hash (src/ledger/sql/usage_event_canonical.sql). The one settle path copies them from the
// reservation's context (src/ledger/sql/stipend_settle_many.sql). Schema only: the functions
// come from their files, applied after the migrations (src/db/sql-objects.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table usage_events add column upstream text, add column platform text').execute(db);
}

// The canonical text is put back as 0017 left it, so that the chain trigger and
// `stipend audit verify` do not name the dropped columns; `stipend migrate` re-applies the rest.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
         select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
           coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
           e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
           e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
           coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
           case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end,
           case when e.api_key_id is not null then 'key=' || e.api_key_id end,
           case when e.service_account is not null then 'service=' || e.service_account end)
       $fn$;
       alter table usage_events drop column upstream, drop column platform;`,
    )
    .execute(db);
}
