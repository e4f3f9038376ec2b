import type { Db } from '../../../src/db/database.ts';

/** Everything a SCIM request may change, to assert that a refused request changed nothing. */
export async function directorySnapshot(db: Db): Promise<string> {
  const [people, groups, members, teams, keys] = await Promise.all([
    db.selectFrom('people').selectAll().orderBy('id').execute(),
    db.selectFrom('directory_groups').selectAll().orderBy('id').execute(),
    db.selectFrom('directory_group_members').selectAll().orderBy('group_id').orderBy('person_id').execute(),
    db.selectFrom('team_members').selectAll().orderBy('team_id').orderBy('person_id').execute(),
    db.selectFrom('api_keys').select(['id', 'person_id', 'revoked_at']).orderBy('id').execute(),
  ]);
  return JSON.stringify({ people, groups, members, teams, keys }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
