import { sql, type Kysely } from 'kysely';

// What the ledger may hold, enforced by Postgres rather than trusted to the callers: money
// and token counts are never negative, hashes are SHA-256 sized. Only invariants the code
// already guarantees at its edges are checked here (usage is parsed as non-negative
// counts), because a CHECK that fails inside a settlement batch fails the whole batch.
//
// Signed checkpoints of the chain head (`stipend audit checkpoint --store`) are kept in a
// write-once table. They prove nothing by being in the database — a superuser could delete
// them — but each one is signed outside it, so none can be forged or made to fit a
// rewritten chain; the copies kept outside are the anchor.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table usage_events
  add constraint usage_events_cost_nonnegative check (cost_nanos >= 0),
  add constraint usage_events_tokens_nonnegative check (
    input_tokens >= 0 and cached_input_tokens >= 0 and cache_write_tokens >= 0
    and output_tokens >= 0 and reasoning_tokens >= 0),
  add constraint usage_events_latency_nonnegative check (latency_ms is null or latency_ms >= 0),
  add constraint usage_events_overage_nonnegative check (overage_nanos >= 0),
  add constraint usage_events_seq_positive check (seq > 0),
  add constraint usage_events_hash_sizes check (octet_length(hash) = 32 and octet_length(prev_hash) = 32);

alter table wallets
  add constraint wallets_spent_nonnegative check (spent_nanos >= 0),
  add constraint wallets_limit_nonnegative check (limit_nanos >= 0),
  add constraint wallets_period_order check (period_end > period_start);

alter table ledger_head
  add constraint ledger_head_sane check (seq >= 0 and octet_length(hash) = 32);

create table ledger_checkpoints (
  id bigserial primary key,
  seq bigint not null check (seq >= 0),
  hash bytea not null check (octet_length(hash) = 32),
  signed_at timestamptz not null,
  key_id text not null,
  document jsonb not null,
  created_at timestamptz not null default now()
);
create index ledger_checkpoints_seq on ledger_checkpoints (seq);

create function stipend_write_once() returns trigger language plpgsql as $fn$
begin
  raise exception '% is write-once: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$fn$;
create trigger ledger_checkpoints_no_update before update or delete on ledger_checkpoints
  for each row execute function stipend_write_once();
create trigger ledger_checkpoints_no_truncate before truncate on ledger_checkpoints
  for each statement execute function stipend_write_once();
revoke update, delete, truncate on ledger_checkpoints from public;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `drop table ledger_checkpoints;
       drop function stipend_write_once;
       alter table ledger_head drop constraint ledger_head_sane;
       alter table wallets drop constraint wallets_spent_nonnegative, drop constraint wallets_limit_nonnegative,
         drop constraint wallets_period_order;
       alter table usage_events drop constraint usage_events_cost_nonnegative, drop constraint usage_events_tokens_nonnegative,
         drop constraint usage_events_latency_nonnegative, drop constraint usage_events_overage_nonnegative,
         drop constraint usage_events_seq_positive,
         drop constraint usage_events_hash_sizes;`,
    )
    .execute(db);
}
