import { sql, type Kysely } from 'kysely';

// Period close: a closed month's books (journals, FOCUS file, summary, figures) stored once,
// with their SHA-256, and the ledger cut they were computed from. Write-once like the ledger:
// rows may be added (a format first exported after the close), never changed or removed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table period_closes (
  month text primary key check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  time_zone text not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  -- The ledger head when the books were cut: rows up to cutoff_seq are in the books
  -- (this month's, or an earlier closed month's adjustment); later rows are not.
  cutoff_seq bigint not null,
  cutoff_hash bytea not null,
  -- The last ledger row booked in this month (seq and chain hash), null for an empty month.
  last_row_seq bigint,
  last_row_hash bytea,
  grace_ms bigint not null check (grace_ms > 0),
  closed_at timestamptz not null default now(),
  closed_by text not null
);

create table period_close_files (
  month text not null references period_closes (month),
  name text not null,
  format text not null,
  content bytea not null,
  sha256 bytea not null check (sha256 = sha256(content)),
  -- The ledger spend the file books (priced + estimated), exact.
  total_nanos bigint,
  created_at timestamptz not null default now(),
  primary key (month, name)
);

create function period_close_write_once() returns trigger language plpgsql as $fn$
begin
  raise exception '% is write-once: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$fn$;
create trigger period_closes_no_update before update or delete on period_closes
  for each row execute function period_close_write_once();
create trigger period_closes_no_truncate before truncate on period_closes
  for each statement execute function period_close_write_once();
create trigger period_close_files_no_update before update or delete on period_close_files
  for each row execute function period_close_write_once();
create trigger period_close_files_no_truncate before truncate on period_close_files
  for each statement execute function period_close_write_once();
revoke update, delete, truncate on period_closes, period_close_files from public;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table period_close_files, period_closes; drop function period_close_write_once();').execute(db);
}
