import { sql, type Kysely } from 'kysely';

// Access control around keys (issue 10: portal, admin SSO, one-click revoke).
// - audit_log: who changed what, when, from where — every admin and portal state change
//   (and the `stipend keys` CLI). Write-once like the ledger: triggers refuse UPDATE,
//   DELETE and TRUNCATE for every role, owner included.
// - people.access_suspended_at/_by: "revoke access and suspend" in the dashboard. It is not
//   `active`, which YAML and SCIM own (a YAML re-apply would reactivate a person): a
//   suspended person keeps their policy and history, has no working key, and may not create
//   one (portal or CLI) until an admin restores access.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  actor_kind text not null check (actor_kind in ('sso', 'admin-token', 'portal', 'cli')),
  access text,
  action text not null,
  target text,
  outcome text not null default 'done' check (outcome in ('done', 'refused')),
  details jsonb not null default '{}',
  ip text,
  user_agent text
);
create index audit_log_at on audit_log (at);
create index audit_log_target on audit_log (target);

create function audit_log_write_once() returns trigger language plpgsql as $fn$
begin
  raise exception 'audit_log is write-once: % refused', tg_op using errcode = 'insufficient_privilege';
end
$fn$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_write_once();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_write_once();
revoke update, delete, truncate on audit_log from public;

alter table people add column access_suspended_at timestamptz;
alter table people add column access_suspended_by text;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `alter table people drop column access_suspended_by, drop column access_suspended_at;
       drop table audit_log;
       drop function audit_log_write_once;`,
    )
    .execute(db);
}
