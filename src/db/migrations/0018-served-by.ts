import { sql, type Kysely } from 'kysely';
import { readSqlFile } from '../sql-file.ts';
import { SETTLE_0017, SETTLE_MANY_0017 } from './0017-settle-functions.ts';

// Where a request was served (issue 13): `upstream` is the configured upstream's name (the
// contract it bills to, e.g. bedrock-us-east-1) and `platform` its kind (openai, anthropic,
// gemini, azure-openai, bedrock, vertex-ai). `provider` keeps naming the model's maker, which
// is what allow lists and the catalog speak. Both join the row's chained hash the way 0008's
// overage and 0017's key did: only when set, so every row written before keeps its text and its hash.
// The settle functions, the only writers of usage_events, copy them from the reservation's
// context; their text lives in src/ledger/sql/.
const CANONICAL_0017 = `
create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
    case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end,
    case when e.api_key_id is not null then 'key=' || e.api_key_id end,
    case when e.service_account is not null then 'service=' || e.service_account end)
$fn$;`;

const settleSql = () => readSqlFile(new URL('../../ledger/sql/stipend_settle.sql', import.meta.url));
const settleManySql = () => readSqlFile(new URL('../../ledger/sql/stipend_settle_many.sql', import.meta.url));

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table usage_events add column upstream text, add column platform text;

create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
    -- concat_ws skips NULL: a row without these fields keeps its original text.
    case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end,
    case when e.api_key_id is not null then 'key=' || e.api_key_id end,
    case when e.service_account is not null then 'service=' || e.service_account end,
    case when e.upstream is not null then 'upstream=' || e.upstream end,
    case when e.platform is not null then 'platform=' || e.platform end)
$fn$;
`,
    )
    .execute(db);
  await sql.raw(settleSql()).execute(db);
  await sql.raw(settleManySql()).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(CANONICAL_0017).execute(db);
  await sql.raw(SETTLE_0017).execute(db);
  await sql.raw(SETTLE_MANY_0017).execute(db);
  await sql.raw('alter table usage_events drop column upstream, drop column platform').execute(db);
}
