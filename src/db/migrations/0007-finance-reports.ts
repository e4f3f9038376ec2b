import { sql, type Kysely } from 'kysely';

// Monthly reports: stored once per month, delivered once per recipient and channel.
// Spend reports need no new index: they are range scans on occurred_at, which
// usage_events_occurred (0002) serves. Measured on a 100k-row ledger, a covering index
// gained nothing (month report 43–53 ms either way), so the hot insert path is not taxed with one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table monthly_reports (
  month text primary key check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  time_zone text not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  summary jsonb not null,
  created_at timestamptz not null default now()
);

create table monthly_report_deliveries (
  id bigserial primary key,
  month text not null references monthly_reports (month),
  channel text not null check (channel in ('email', 'webhook')),
  recipient text not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  unique (month, channel, recipient)
);
create index monthly_report_deliveries_due on monthly_report_deliveries (next_attempt_at)
  where status in ('pending', 'sending');
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table monthly_report_deliveries, monthly_reports;').execute(db);
}
