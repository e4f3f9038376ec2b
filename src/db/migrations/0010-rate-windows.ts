import { sql, type Kysely } from 'kysely';
import { readSqlFile } from '../sql-file.ts';

// Per-person rate limits shared by every gateway replica (docs/decisions.md, "Rate limits").
// One counter row per person with limits: this minute's and the previous minute's requests
// and tokens. Requests are counted by stipend_reserve_rated in the reservation's own
// transaction; tokens by a statement trigger when ledger rows are written.
// The functions' text lives in src/ledger/sql/.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table rate_windows (
  person_id bigint primary key,
  window_start timestamptz not null,
  requests integer not null default 0 check (requests >= 0),
  tokens bigint not null default 0 check (tokens >= 0),
  prev_requests integer not null default 0 check (prev_requests >= 0),
  prev_tokens bigint not null default 0 check (prev_tokens >= 0)
);
`,
    )
    .execute(db);
  await sql.raw(readSqlFile(new URL('../../ledger/sql/stipend_reserve_rated.sql', import.meta.url))).execute(db);
  await sql.raw(readSqlFile(new URL('../../ledger/sql/stipend_rate_tokens.sql', import.meta.url))).execute(db);
  await sql
    .raw(
      `create trigger usage_events_rate_tokens after insert on usage_events
         referencing new table as new_rows for each statement execute function stipend_rate_tokens();`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `drop trigger usage_events_rate_tokens on usage_events;
       drop function stipend_rate_tokens, stipend_reserve_rated;
       drop table rate_windows;`,
    )
    .execute(db);
}
