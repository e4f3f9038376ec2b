import type { Target } from './resource.schema.ts';

export interface TargetCandidate {
  readonly email: string;
  readonly jobLevel: number | null;
  readonly teams: ReadonlySet<string>; // namespace/name
}

/** A person matches when listed in `users`, or a member of a named team (same namespace) within `jobLevels`. */
export function matchesTarget(person: TargetCandidate, namespace: string, target: Target): boolean {
  if (target.users.includes(person.email)) return true;
  if (!target.teams.some((t) => person.teams.has(`${namespace}/${t}`))) return false;
  const levels = target.jobLevels;
  if (!levels) return true;
  if (person.jobLevel === null) return false;
  return (levels.min === undefined || person.jobLevel >= levels.min) && (levels.max === undefined || person.jobLevel <= levels.max);
}
