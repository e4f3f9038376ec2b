import type { Db } from '../../src/db/database.ts';

/** Every policy row a loader writes, without ids/timestamps and with the namespace renamed, to compare two databases. */
export async function policyRows(db: Db, namespace: string) {
  const rename = (ns: string) => (ns === namespace ? 'NS' : ns);
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
    .select(['teams.name as team', 'people.email', 'team_members.declared'])
    .where('teams.namespace', '=', namespace)
    .orderBy(['teams.name', 'people.email'])
    .execute();
  return {
    teams: teams.map((t) => ({ ...t, namespace: rename(t.namespace) })),
    budgets: budgets.map((b) => ({ ...b, namespace: rename(b.namespace) })),
    policies: policies.map((p) => ({ ...p, namespace: rename(p.namespace) })),
    people,
    members,
  };
}
