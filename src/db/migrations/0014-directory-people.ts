import { sql, type Kysely } from 'kysely';
import { readSqlFile } from '../sql-file.ts';

// People from a directory (issue 10): SCIM 2.0 pushes (Okta, Entra ID, Rippling, JumpCloud)
// and, later, HRIS pulls write the same people rows through src/identity/people/.
// - The attributes Team selectors match get their own columns; the directory's whole
//   record (e.g. the SCIM User as the client sent it) is kept in source_document, so a
//   client reads back exactly what it wrote.
// - version is the weak ETag; deleted_at marks a SCIM DELETE (the row stays: the ledger's
//   history points at it). userName is unique among people not deleted, case-insensitively.
// - scim_id is the SCIM resource id: a uuid, replaced when a deleted person is provisioned
//   again (a SCIM id is never reused for another resource).
// - directory_groups / directory_group_members: SCIM Groups, usable in Team memberSelectors.
//   Groups carry no money history, so a deleted group is removed.
// - stipend_selector_matches: the selector predicate, from src/policy/sql/.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table people drop constraint if exists people_source_check;
alter table people add constraint people_source_check check (source in ('yaml', 'scim', 'hris'));
alter table people
  add column scim_id uuid not null default gen_random_uuid(),
  add column user_name text,
  add column given_name text,
  add column family_name text,
  add column cost_center text,
  add column division text,
  add column employee_number text,
  add column employee_type text,
  add column manager_ref text,
  add column manager_name text,
  add column version integer not null default 1,
  add column deleted_at timestamptz,
  add column source_document jsonb;
create unique index people_scim_id on people (scim_id);
create unique index people_user_name on people (lower(user_name)) where deleted_at is null;
create index people_external_id on people (external_id) where external_id is not null;
create index people_scim on people (id) where source = 'scim' and deleted_at is null;

create table directory_groups (
  id bigserial primary key,
  scim_id uuid not null unique default gen_random_uuid(),
  display_name text not null,
  external_id text,
  version integer not null default 1,
  source_document jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index directory_groups_display_name on directory_groups (lower(display_name));

create table directory_group_members (
  group_id bigint not null references directory_groups (id) on delete cascade,
  person_id bigint not null references people (id),
  primary key (group_id, person_id)
);
create index directory_group_members_person on directory_group_members (person_id);
`,
    )
    .execute(db);
  await sql.raw(readSqlFile(new URL('../../policy/sql/stipend_selector_matches.sql', import.meta.url))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
drop function if exists stipend_selector_matches(jsonb, people);
drop table if exists directory_group_members, directory_groups;
alter table people drop column scim_id, drop column user_name, drop column given_name, drop column family_name,
  drop column cost_center, drop column division, drop column employee_number, drop column employee_type,
  drop column manager_ref, drop column manager_name, drop column version, drop column deleted_at, drop column source_document;
alter table people drop constraint if exists people_source_check;
alter table people add constraint people_source_check check (source in ('yaml', 'scim'));
`,
    )
    .execute(db);
}
