import { sql, type Kysely } from 'kysely';

// Wallets, reservations and the write-once, hash-chained ledger.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table wallets (
  id bigserial primary key,
  budget_id bigint not null references budgets (id),
  owner text not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  limit_nanos bigint not null,
  hard boolean not null,
  spent_nanos bigint not null default 0,
  reserved_nanos bigint not null default 0 check (reserved_nanos >= 0),
  unique (budget_id, owner, period_start)
);

-- A reservation names its wallets by their natural key (budget, owner, window start),
-- so it can be written before any wallet row is locked.
create table reservations (
  request_id text primary key,
  budget_ids bigint[] not null,
  owners text[] not null,
  period_starts timestamptz[] not null,
  estimate_nanos bigint not null check (estimate_nanos >= 0),
  created_at timestamptz not null default now(),
  deadline timestamptz not null,
  context jsonb not null
);
create index reservations_deadline on reservations (deadline);

-- The chain's tip; its row lock orders ledger inserts.
create table ledger_head (
  id boolean primary key default true check (id),
  seq bigint not null,
  hash bytea not null
);
insert into ledger_head (id, seq, hash) values (true, 0, sha256(''::bytea));

create table usage_events (
  seq bigint primary key,
  request_id text not null unique,
  occurred_at timestamptz not null,
  person_id bigint,
  email text,
  team text,
  cost_center text,
  provider text not null,
  model text not null,
  endpoint text not null,
  stream boolean not null,
  input_tokens integer not null default 0,
  cached_input_tokens integer not null default 0,
  cache_write_tokens integer not null default 0,
  output_tokens integer not null default 0,
  reasoning_tokens integer not null default 0,
  cost_nanos bigint not null,
  pricing_status text not null check (pricing_status in ('priced', 'estimated', 'unpriced', 'usage_missing')),
  http_status integer,
  latency_ms integer,
  wallet_ids bigint[] not null default '{}',
  prev_hash bytea not null,
  hash bytea not null
);
create index usage_events_occurred on usage_events (occurred_at);

-- One canonical text per row; the chain hashes it, audit recomputes it.
create function usage_event_canonical(e usage_events) returns text language sql immutable as $fn$
  select concat_ws('|', e.seq, e.request_id, (extract(epoch from e.occurred_at) * 1000000)::bigint,
    coalesce(e.person_id::text, ''), coalesce(e.email, ''), coalesce(e.team, ''), coalesce(e.cost_center, ''),
    e.provider, e.model, e.endpoint, e.stream, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens,
    e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.pricing_status, coalesce(e.http_status::text, ''),
    coalesce(e.latency_ms::text, ''), array_to_string(e.wallet_ids, ','))
$fn$;

create function usage_events_chain() returns trigger language plpgsql as $fn$
declare
  head ledger_head%rowtype;
begin
  select * into head from ledger_head where id for update;
  new.seq := head.seq + 1;
  new.prev_hash := head.hash;
  new.hash := sha256(head.hash || convert_to(usage_event_canonical(new), 'UTF8'));
  update ledger_head set seq = new.seq, hash = new.hash where id;
  return new;
end
$fn$;
create trigger usage_events_chain before insert on usage_events
  for each row execute function usage_events_chain();

create function usage_events_write_once() returns trigger language plpgsql as $fn$
begin
  raise exception 'usage_events is write-once: % refused', tg_op using errcode = 'insufficient_privilege';
end
$fn$;
create trigger usage_events_no_update before update or delete on usage_events
  for each row execute function usage_events_write_once();
create trigger usage_events_no_truncate before truncate on usage_events
  for each statement execute function usage_events_write_once();
revoke update, delete, truncate on usage_events from public;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table usage_events, ledger_head, reservations, wallets cascade').execute(db);
}
