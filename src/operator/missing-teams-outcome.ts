import type { Outcome } from './conditions.ts';

/** A policy naming a team that does not exist is stored but not Ready: the gap is visible, nothing crashes. */
export function missingTeamsOutcome(missing: readonly string[]): Outcome | null {
  if (missing.length === 0) return null;
  return { ready: false, reason: 'MissingTeam', message: `team(s) ${missing.map((t) => `"${t}"`).join(', ')} not found in this namespace` };
}
