import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Recomputes the selected (not YAML-declared) team memberships of the given people from
 * every active Team's memberSelector, inside the caller's transaction. Declared
 * memberships stay: explicit YAML members keep their teams whatever their attributes.
 * An inactive person is selected by no team. Returns whether any membership changed.
 */
export async function recomputeMemberships(tx: Db, personIds: readonly bigint[]): Promise<boolean> {
  if (personIds.length === 0) return false;
  const ids = sql`${sql.val(personIds.map(String))}::bigint[]`;
  const removed = await sql<{ team_id: string; person_id: string }>`
    delete from team_members where not declared and person_id = any(${ids}) returning team_id, person_id`.execute(tx);
  const added = await sql<{ team_id: string; person_id: string }>`
    insert into team_members (team_id, person_id, declared)
    select t.id, p.id, false
    from people p
    join teams t on t.active and t.member_selector is not null and stipend_selector_matches(t.member_selector, p)
    where p.id = any(${ids}) and p.active
    on conflict (team_id, person_id) do nothing
    returning team_id, person_id`.execute(tx);
  const key = (r: { team_id: string; person_id: string }) => `${r.team_id}:${r.person_id}`;
  const before = new Set(removed.rows.map(key));
  const after = new Set(added.rows.map(key));
  return before.size !== after.size || [...before].some((k) => !after.has(k));
}

/** Active people a selector places in a team (the same predicate, over everyone). */
export async function selectPeople(tx: Db, selector: unknown): Promise<bigint[]> {
  const rows = await sql<{ id: bigint }>`
    select p.id from people p where p.active and stipend_selector_matches(${JSON.stringify(selector)}::jsonb, p)`.execute(tx);
  return rows.rows.map((r) => BigInt(r.id));
}

/** namespace/name of the active teams a person belongs to, sorted. */
export async function teamsOf(tx: Db, personId: bigint): Promise<string[]> {
  const rows = await tx
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.namespace', 'teams.name'])
    .where('team_members.person_id', '=', personId)
    .where('teams.active', '=', true)
    .execute();
  return rows.map((r) => `${r.namespace}/${r.name}`).sort();
}
