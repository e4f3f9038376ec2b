// Every SQL function and trigger comes from its file (src/db/sql-objects.ts): `stipend migrate`
// on a database at ANY earlier migration ends with exactly the definitions of a fresh one —
// bodies, SECURITY DEFINER and search_path, grants, triggers — and obsolete functions are gone.
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../src/db/migrate.ts';
import { applyRuntimeGrants } from '../src/db/runtime-role.ts';
import { applySqlObjects } from '../src/db/sql-objects.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

async function database(options: { readonly at?: string; readonly grants?: boolean } = {}): Promise<TestDatabase> {
  const d = await createTestDatabase(options);
  databases.push(d);
  return d;
}

/** Every function and trigger of the schema, with what decides how it runs; the runtime role's name made neutral. */
async function definitions(d: TestDatabase) {
  const role = (text: string | null) => (text ?? '').replaceAll(d.runtimeRole, 'RUNTIME');
  const { rows: functions } = await sql<{ fn: string; def: string; secdef: boolean; config: string | null; acl: string | null }>`
    select p.oid::regprocedure::text as fn, pg_get_functiondef(p.oid) as def, p.prosecdef as secdef,
           array_to_string(p.proconfig, ';') as config, p.proacl::text as acl
      from pg_proc p where p.pronamespace = current_schema()::regnamespace order by 1`.execute(d.handle.db);
  const { rows: triggers } = await sql<{ name: string; def: string }>`
    select tgrelid::regclass::text || '.' || tgname as name, pg_get_triggerdef(oid) as def
      from pg_trigger where not tgisinternal order by 1`.execute(d.handle.db);
  return {
    functions: Object.fromEntries(functions.map((f) => [f.fn, { def: f.def, secdef: f.secdef, config: f.config, acl: role(f.acl) }])),
    triggers: Object.fromEntries(triggers.map((t) => [t.name, t.def])),
  };
}

/** What `stipend migrate` with a runtime role does. */
async function migrate(d: TestDatabase, db: Db = d.handle.db) {
  await migrateToLatest(db);
  await applyRuntimeGrants(db, { role: d.runtimeRole });
}

describe('SQL functions and triggers from their files', async () => {
  const fresh = await definitions(await database());

  it('a fresh database has the functions of the files and only those', () => {
    const names = Object.keys(fresh.functions).map((f) => f.slice(0, f.indexOf('(')));
    expect(names).toContain('stipend_settle_many');
    expect(names).toContain('stipend_write_once');
    // Replaced: the sweeper settles through stipend_settle_many; write-once tables share one guard.
    expect(names).not.toContain('stipend_settle');
    expect(names).not.toContain('usage_events_write_once');
    expect(names).not.toContain('audit_log_write_once');
    expect(names).not.toContain('period_close_write_once');
    expect(fresh.functions['stipend_settle_many(text[],bigint[],boolean[],jsonb[])']).toMatchObject({ secdef: true, config: expect.stringContaining('pg_temp') });
    expect(fresh.triggers['usage_events.usage_events_no_update']).toContain('stipend_write_once()');
  });

  // The grants of today name columns older schemas lack: an old database gets them at the upgrade.
  it.each(MIGRATION_NAMES.map((name) => [name]))('stipend migrate from %s ends with the definitions of a fresh database', async (at) => {
    const d = await database({ at, grants: false });
    await migrate(d);
    expect(await definitions(d)).toEqual(fresh);
  });

  it('from the last migration with the runtime role already set up (its functions SECURITY DEFINER, granted)', async () => {
    const d = await database({ at: MIGRATION_NAMES.at(-1)! });
    await migrate(d);
    expect(await definitions(d)).toEqual(fresh);
  });

  it('migrating again without the grants step (stipend gateway --migrate) keeps SECURITY DEFINER, search_path and grants', async () => {
    const d = await database();
    const report = await applySqlObjects(d.handle.db);
    expect(report.dropped).toEqual([]);
    expect(report.pinned).toBeGreaterThan(5);
    await migrateToLatest(d.handle.db);
    expect(await definitions(d)).toEqual(fresh);
  });
});
