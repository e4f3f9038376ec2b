import type { Db } from '../../db/database.ts';

interface Target {
  readonly teams?: readonly string[];
  readonly jobLevels?: { readonly min?: number; readonly max?: number };
}

/**
 * What each team may spend in a month under the current policy, in nano-dollars:
 * - PerMember budget: its amount for every active member the target matches;
 * - Shared budget naming one team: its amount, as a cap on that team;
 * - a team with both: its members' allowances, capped by the shared amount.
 * Daily and weekly budgets are scaled to the month (days × amount, days / 7 × amount).
 * Budgets that target only users, or a shared wallet over several teams, belong to no one team.
 */
export async function teamAllocations(db: Db, daysInMonth: number): Promise<Map<string, bigint>> {
  const [budgets, members] = await Promise.all([
    db.selectFrom('budgets').select(['namespace', 'target', 'scope', 'amount_nanos', 'period']).where('active', '=', true).execute(),
    db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .innerJoin('people', 'people.id', 'team_members.person_id')
      .select(['teams.namespace', 'teams.name', 'people.job_level'])
      .where('teams.active', '=', true)
      .where('people.active', '=', true)
      .execute(),
  ]);
  const perMember = new Map<string, bigint>();
  const shared = new Map<string, bigint>();
  for (const b of budgets) {
    const target = (typeof b.target === 'string' ? JSON.parse(b.target) : b.target) as Target;
    const monthly = b.period === 'Monthly' ? b.amount_nanos : b.period === 'Weekly' ? (b.amount_nanos * BigInt(daysInMonth)) / 7n : b.amount_nanos * BigInt(daysInMonth);
    const teams = (target.teams ?? []).map((t) => `${b.namespace}/${t}`);
    if (b.scope === 'Shared') {
      if (teams.length === 1) shared.set(teams[0]!, (shared.get(teams[0]!) ?? 0n) + monthly);
      continue;
    }
    for (const team of teams) {
      const n = members.filter(
        (m) =>
          `${m.namespace}/${m.name}` === team &&
          (target.jobLevels?.min === undefined || (m.job_level ?? -1) >= target.jobLevels.min) &&
          (target.jobLevels?.max === undefined || (m.job_level ?? Number.MAX_SAFE_INTEGER) <= target.jobLevels.max),
      ).length;
      perMember.set(team, (perMember.get(team) ?? 0n) + monthly * BigInt(n));
    }
  }
  const result = new Map<string, bigint>();
  for (const team of new Set([...perMember.keys(), ...shared.keys()])) {
    const p = perMember.get(team);
    const s = shared.get(team);
    result.set(team, p !== undefined && s !== undefined ? (p < s ? p : s) : (p ?? s)!);
  }
  return result;
}
