// Every SQL function and trigger has one file, under the feature that owns it (src/*/sql/):
// that file is its live definition. `stipend migrate` (migrateToLatest) applies them after the
// table migrations, every time, in one transaction:
//   1. each file in the order below (functions before what calls or fires them): functions
//      by CREATE OR REPLACE, triggers by DROP TRIGGER IF EXISTS + CREATE TRIGGER;
//   2. every function of the schema the files did not (re)define is dropped: an obsolete
//      signature, or a function no file defines any more;
//   3. a function that was SECURITY DEFINER with a pinned search_path (src/db/runtime-role.ts,
//      set by `stipend migrate` for the runtime role) is pinned again, since CREATE OR REPLACE
//      resets both; ownership and grants survive CREATE OR REPLACE.
// So a database at any earlier migration ends with the same definitions as a fresh one
// (test/sql-objects.test.ts). docs/architecture.md says why migrations keep their old bodies.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { pinDefiner } from './runtime-role.ts';

/** In order of application, relative to src/. */
export const SQL_OBJECT_FILES: readonly string[] = [
  'db/sql/stipend_write_once.sql',
  'ledger/sql/usage_event_canonical.sql',
  'ledger/sql/usage_events_chain.sql',
  'ledger/sql/stipend_overage.sql',
  'alerts/sql/stipend_alert_recipients.sql',
  'alerts/sql/stipend_overage_alerts.sql',
  'alerts/sql/stipend_exhausted_alert.sql',
  'alerts/sql/stipend_threshold_alerts.sql',
  'ledger/sql/stipend_settle_many.sql',
  'ledger/sql/stipend_sweep.sql',
  'ledger/sql/stipend_reserve_many.sql',
  'ledger/sql/stipend_reserve_rated.sql',
  'ledger/sql/stipend_rate_tokens.sql',
  'policy/sql/stipend_selector_matches.sql',
  'ledger/sql/usage_events_chain.trigger.sql',
  'ledger/sql/usage_events_write_once.trigger.sql',
  'ledger/sql/usage_events_rate_tokens.trigger.sql',
  'ledger/sql/ledger_checkpoints_write_once.trigger.sql',
  'alerts/sql/wallets_threshold_alerts.trigger.sql',
  'audit-log/sql/audit_log_write_once.trigger.sql',
  'reports/sql/period_closes_write_once.trigger.sql',
];

export interface SqlObjectsReport {
  readonly files: number;
  /** Functions dropped because no file defines them (any more, or with that signature). */
  readonly dropped: readonly string[];
  /** SECURITY DEFINER functions pinned again. */
  readonly pinned: number;
}

const SRC = new URL('../', import.meta.url);

/** Applies every function and trigger file; run after the table migrations (migrateToLatest does). */
export async function applySqlObjects(db: Db): Promise<SqlObjectsReport> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('stipend:sql-objects'))`.execute(tx);
    const { rows: definers } = await sql<{ fn: string }>`
      select p.oid::regprocedure::text as fn from pg_proc p
       where p.pronamespace = current_schema()::regnamespace and p.prosecdef`.execute(tx);

    for (const file of SQL_OBJECT_FILES) await sql.raw(readFileSync(new URL(file, SRC), 'utf8')).execute(tx);

    // Not (re)defined in this transaction: no file defines it. Extension members are not ours.
    const { rows: obsolete } = await sql<{ fn: string }>`
      select p.oid::regprocedure::text as fn from pg_proc p
       where p.pronamespace = current_schema()::regnamespace and p.prokind = 'f'
         and pg_get_userbyid(p.proowner) = current_user
         and p.xmin <> pg_current_xact_id()::xid
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 1`.execute(tx);
    for (const { fn } of obsolete) await sql`drop function ${sql.raw(fn)}`.execute(tx);

    const { rows: schema } = await sql<{ name: string }>`select current_schema() as name`.execute(tx);
    let pinned = 0;
    for (const { fn } of definers) {
      const { rows } = await sql<{ secdef: boolean }>`select prosecdef as secdef from pg_proc where oid = to_regprocedure(${fn})`.execute(tx);
      if (rows.length === 0 || rows[0]!.secdef) continue; // dropped, or still pinned
      await pinDefiner(tx, fn, schema[0]!.name);
      pinned++;
    }
    return { files: SQL_OBJECT_FILES.length, dropped: obsolete.map((o) => o.fn), pinned };
  });
}
