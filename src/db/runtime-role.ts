import { sql } from 'kysely';
import type { Db } from './database.ts';
import { RUNTIME_TABLE_GRANTS } from './runtime-grants.ts';
import { scramSha256Verifier } from './scram-verifier.ts';

/** A runtime role that would defeat the separation (it is the owner, a superuser, or can become the owner). */
export class RuntimeRoleError extends Error {
  override readonly name = 'RuntimeRoleError';
}

export interface RuntimeRoleOptions {
  readonly role: string;
  /** Set when the role is created (as a SCRAM verifier); an existing role's password is left alone. */
  readonly password?: string;
}

export interface RuntimeRoleReport {
  readonly role: string;
  readonly created: boolean;
  readonly tables: number;
  /** Tables with no entry in RUNTIME_TABLE_GRANTS: the runtime role gets nothing on them. */
  readonly undecided: readonly string[];
  readonly functions: number;
}

/**
 * Creates the runtime role if it does not exist and sets its grants to exactly
 * RUNTIME_TABLE_GRANTS (anything granted before is revoked first), in one transaction.
 * The stipend_* functions become SECURITY DEFINER with a search_path pinned to this schema
 * (pg_temp last, so a caller's temporary objects cannot shadow the tables), and only the
 * runtime role may execute them. Must run as the role that owns the schema's objects.
 */
export async function applyRuntimeGrants(db: Db, options: RuntimeRoleOptions): Promise<RuntimeRoleReport> {
  const { role } = options;
  const { rows: [me] } = await sql<{ user: string; schema: string; db: string }>`
    select current_user as user, current_schema() as schema, current_database() as db`.execute(db);
  if (!me) throw new Error('no session information from Postgres');
  if (role === me.user) {
    throw new RuntimeRoleError(`the runtime role "${role}" is the role running the migrations: the services must connect as a role that owns nothing`);
  }
  const created = await ensureRole(db, role, options.password);
  await checkSeparation(db, role, me.user);

  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('stipend:runtime-grants'))`.execute(tx);
    const r = sql.id(role);
    const s = sql.id(me.schema);
    // CONNECT is PUBLIC's by default; granted explicitly where we may, for databases that revoked it.
    const { rows: [grantable] } = await sql<{ ok: boolean }>`
      select has_database_privilege(current_user, current_database(), 'CONNECT WITH GRANT OPTION') as ok`.execute(tx);
    if (grantable?.ok) await sql`grant connect on database ${sql.id(me.db)} to ${r}`.execute(tx);
    await sql`revoke all on all tables in schema ${s} from ${r}`.execute(tx);
    await sql`revoke all on all sequences in schema ${s} from ${r}`.execute(tx);
    await sql`revoke all on all functions in schema ${s} from ${r}`.execute(tx);
    await sql`grant usage on schema ${s} to ${r}`.execute(tx);

    const { rows: tables } = await sql<{ name: string }>`
      select c.relname as name from pg_class c
       where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') order by 1`.execute(tx);
    const undecided: string[] = [];
    for (const { name } of tables) {
      const privileges = RUNTIME_TABLE_GRANTS[name];
      if (privileges === undefined) {
        undecided.push(name);
        continue;
      }
      if (privileges.length === 0) continue;
      await sql`grant ${sql.raw(privileges.join(', '))} on table ${sql.id(me.schema, name)} to ${r}`.execute(tx);
      if (privileges.some((p) => p.startsWith('insert'))) {
        const { rows: sequences } = await sql<{ seq: string }>`
          select s.oid::regclass::text as seq from pg_class s
            join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid and d.deptype in ('a', 'i')
           where s.relkind = 'S' and d.refobjid = (quote_ident(${me.schema}) || '.' || quote_ident(${name}))::regclass`.execute(tx);
        for (const { seq } of sequences) await sql`grant usage on sequence ${sql.raw(seq)} to ${r}`.execute(tx);
      }
    }

    // Functions the services call: run as their owner, callable by the runtime role only.
    const { rows: functions } = await sql<{ fn: string; definer: boolean }>`
      select p.oid::regprocedure::text as fn, p.proname like 'stipend\\_%' as definer
        from pg_proc p
       where p.pronamespace = current_schema()::regnamespace and p.prokind = 'f'
         and p.prorettype <> 'trigger'::regtype and pg_get_userbyid(p.proowner) = current_user
       order by 1`.execute(tx);
    for (const { fn, definer } of functions) {
      if (definer) await sql`alter function ${sql.raw(fn)} security definer set search_path = ${s}, pg_temp`.execute(tx);
      await sql`revoke execute on function ${sql.raw(fn)} from public`.execute(tx);
      await sql`grant execute on function ${sql.raw(fn)} to ${r}`.execute(tx);
    }
    return { role, created, tables: tables.length - undecided.length, undecided, functions: functions.length };
  });
}

/** Roles are cluster-wide: two databases may create the same one at once, and one of them wins. */
async function ensureRole(db: Db, role: string, password: string | undefined): Promise<boolean> {
  const exists = await sql<{ one: number }>`select 1 as one from pg_roles where rolname = ${role}`.execute(db);
  if (exists.rows.length > 0) return false;
  const pw = password ? sql` password ${sql.lit(scramSha256Verifier(password))}` : sql``;
  try {
    await sql`create role ${sql.id(role)} login nosuperuser nocreatedb nocreaterole noinherit${pw}`.execute(db);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42710' || code === '23505') return false; // duplicate_object, unique_violation: another run made it
    if (code === '42501') {
      throw new RuntimeRoleError(`the runtime role "${role}" does not exist and the migrating role may not create roles: create it (LOGIN, no other attributes) or grant CREATEROLE`);
    }
    throw error;
  }
}

async function checkSeparation(db: Db, role: string, owner: string): Promise<void> {
  const { rows: [info] } = await sql<{ superuser: boolean; bypassrls: boolean; member_of_owner: boolean; owns: number }>`
    select r.rolsuper as superuser, r.rolbypassrls as bypassrls,
           pg_has_role(r.oid, ${owner}::regrole, 'MEMBER') as member_of_owner,
           (select count(*)::int from pg_class c where c.relowner = r.oid and c.relnamespace = current_schema()::regnamespace)
           + (select count(*)::int from pg_database d where d.datdba = r.oid and d.datname = current_database()) as owns
      from pg_roles r where r.rolname = ${role}`.execute(db);
  if (!info) throw new RuntimeRoleError(`the runtime role "${role}" does not exist`);
  if (info.superuser || info.bypassrls) throw new RuntimeRoleError(`the runtime role "${role}" is a superuser or bypasses row security: give the services an ordinary role`);
  if (info.member_of_owner) throw new RuntimeRoleError(`the runtime role "${role}" is a member of the owner "${owner}" and could act as it: remove the membership`);
  if (info.owns > 0) throw new RuntimeRoleError(`the runtime role "${role}" owns this database or objects in it: the services must connect as a role that owns nothing`);
}
