import type { Db } from '../db/database.ts';

export async function missingTeams(db: Db, namespace: string, teams: readonly string[]): Promise<string[]> {
  if (teams.length === 0) return [];
  const found = await db
    .selectFrom('teams')
    .select('name')
    .where('namespace', '=', namespace)
    .where('name', 'in', teams)
    .where('active', '=', true)
    .execute();
  const present = new Set(found.map((r) => r.name));
  return teams.filter((t) => !present.has(t));
}
