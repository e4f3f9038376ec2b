import { sql, type Kysely } from 'kysely';
import { SETTLE_0017, SETTLE_MANY_0017 } from './0017-settle-functions.ts';

// Service accounts (issue 10): keys a team owns for bots and shared tools, declared in the
// Team's YAML (spec.serviceAccounts), key material made by an admin (never in YAML).
// - service_accounts: one row per (team, name); deactivated, never deleted.
// - api_keys: a key belongs to a person or to a service account, exactly one.
// - usage_events.api_key_id / service_account: the key that made the request and, for a
//   service key, the account as it was named then (like team and cost_center). Both join the
//   row's canonical text only when set, so every row written before hashes — and verifies —
//   exactly as it did (the same care as 0008's overage_nanos).
// - stipend_settle / stipend_settle_many carry both from the reservation's context; their
//   text as of 0017 is frozen in 0017-settle-functions.ts (src/ledger/sql/ holds the current one).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table service_accounts (
  id bigserial primary key,
  team_id bigint not null references teams (id),
  name text not null,
  description text,
  job_level integer,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, name)
);

alter table api_keys alter column person_id drop not null;
alter table api_keys add column service_account_id bigint references service_accounts (id);
alter table api_keys add constraint api_keys_one_owner check (num_nonnulls(person_id, service_account_id) = 1);
create index api_keys_service_account on api_keys (service_account_id) where service_account_id is not null;

alter table usage_events add column api_key_id bigint;
alter table usage_events add column service_account text;

create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
    -- concat_ws skips NULL: a row without these keeps its original text.
    case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end,
    case when e.api_key_id is not null then 'key=' || e.api_key_id end,
    case when e.service_account is not null then 'service=' || e.service_account end)
$fn$;
`,
    )
    .execute(db);
  await sql.raw(SETTLE_0017).execute(db);
  await sql.raw(SETTLE_MANY_0017).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The 0008 settle functions are restored by re-running its `up` after this.
  await sql
    .raw(
      `create or replace function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
         select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
           coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
           e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
           e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
           coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','),
           case when e.overage_nanos <> 0 then 'overage=' || e.overage_nanos end)
       $fn$;
       alter table usage_events drop column service_account, drop column api_key_id;
       delete from api_keys where service_account_id is not null;
       alter table api_keys drop constraint api_keys_one_owner, drop column service_account_id;
       alter table api_keys alter column person_id set not null;
       drop table service_accounts;`,
    )
    .execute(db);
}
