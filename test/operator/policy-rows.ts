import type { Db } from '../../src/db/database.ts';

/**
 * Every policy row a loader writes for one namespace, without ids or timestamps and with
 * the namespace renamed, to compare two databases. `activeOnly`: leave out deactivated
 * rows (a database that saw deletes keeps them as history; a fresh one never had them).
 */
export async function policyRows(db: Db, namespace: string, options: { activeOnly?: boolean } = {}) {
  const active = <T extends { active: boolean }>(rows: T[]) => rows.filter((r) => r.active || !options.activeOnly);
  const rename = <T extends { namespace: string }>(rows: T[]) => rows.map((r) => ({ ...r, namespace: r.namespace === namespace ? 'NS' : r.namespace }));
  const teams = await db.selectFrom('teams').select(['namespace', 'name', 'display_name', 'cost_center', 'owners', 'member_selector', 'active']).where('namespace', '=', namespace).orderBy('name').execute();
  const budgets = await db
    .selectFrom('budgets')
    .select(['namespace', 'name', 'target', 'scope', 'amount_nanos', 'period', 'time_zone', 'enforcement', 'alert_thresholds', 'active'])
    .where('namespace', '=', namespace)
    .orderBy('name')
    .execute();
  const policies = await db
    .selectFrom('model_policies')
    .select(['namespace', 'name', 'target', 'allow', 'deny', 'requests_per_minute', 'tokens_per_minute', 'active'])
    .where('namespace', '=', namespace)
    .orderBy('name')
    .execute();
  const people = await db.selectFrom('people').select(['email', 'name', 'job_level', 'department', 'title', 'active', 'source']).orderBy('email').execute();
  const members = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .innerJoin('people', 'people.id', 'team_members.person_id')
    .select(['teams.name as team', 'people.email', 'team_members.declared', 'teams.active'])
    .where('teams.namespace', '=', namespace)
    .orderBy('teams.name')
    .orderBy('people.email')
    .execute();
  return {
    teams: rename(active(teams)),
    budgets: rename(active(budgets)),
    policies: rename(active(policies)),
    people,
    members: active(members),
  };
}
