import { sql, type Kysely } from 'kysely';

// People, teams and the three custom resources as rows. Rows are deactivated, never
// deleted, so the ledger's history keeps its meaning.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table people (
  id bigserial primary key,
  email text not null unique check (email = lower(email)),
  name text,
  job_level integer,
  department text,
  title text,
  active boolean not null default true,
  source text not null default 'yaml' check (source in ('yaml', 'scim')),
  external_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table teams (
  id bigserial primary key,
  namespace text not null,
  name text not null,
  display_name text,
  cost_center text,
  owners text[] not null default '{}',
  member_selector jsonb,
  active boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (namespace, name)
);

create table team_members (
  team_id bigint not null references teams (id),
  person_id bigint not null references people (id),
  declared boolean not null,
  primary key (team_id, person_id)
);
create index team_members_person on team_members (person_id);

create table budgets (
  id bigserial primary key,
  namespace text not null,
  name text not null,
  target jsonb not null,
  scope text not null check (scope in ('PerMember', 'Shared')),
  amount_nanos bigint not null check (amount_nanos > 0),
  period text not null check (period in ('Daily', 'Weekly', 'Monthly')),
  time_zone text not null,
  enforcement text not null check (enforcement in ('Hard', 'Soft')),
  alert_thresholds integer[] not null default '{80,100}',
  active boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (namespace, name)
);

create table model_policies (
  id bigserial primary key,
  namespace text not null,
  name text not null,
  target jsonb not null,
  allow text[] not null default '{}',
  deny text[] not null default '{}',
  requests_per_minute integer,
  tokens_per_minute integer,
  active boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (namespace, name)
);

create table api_keys (
  id bigserial primary key,
  person_id bigint not null references people (id),
  key_hash text not null unique,
  key_prefix text not null,
  name text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_person on api_keys (person_id);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table api_keys, model_policies, budgets, team_members, teams, people').execute(db);
}
