import { serviceAccountMatches } from './compile-service-accounts.ts';
import { compileGlobs } from './glob.ts';
import { matchesTarget } from './match-target.ts';
import type { PersonBudget, PersonPolicy } from './person-policy.ts';
import { compareIds, personBudget, type Matcher, type PolicyIndex, type TargetIndex, type TeamEntry } from './policy-index.ts';

/**
 * One person's compiled policy, from the index: only the budgets and policies that name one
 * of the person's teams or their email are looked at (linear in people × applicable
 * policies, not people × all policies). Null when the person is not active.
 */
export function compilePerson(index: PolicyIndex, personId: bigint): PersonPolicy | null {
  const row = index.people.get(personId);
  if (!row) return null;
  const teams = new Set<string>();
  let primary: TeamEntry | undefined;
  for (const teamId of index.teamsOf.get(personId) ?? []) {
    const team = index.teams.get(teamId);
    if (!team) continue; // an inactive team's membership is ignored
    teams.add(team.key);
    if (!primary || team.key < primary.key) primary = team;
  }
  const person = { email: row.email, jobLevel: row.job_level, teams };

  const budgets: PersonBudget[] = [];
  let owner: string | undefined; // one string for all of the person's own wallets
  for (const id of candidates(index.budgetsBy, teams, row.email)) {
    const budget = index.budgets.get(id)!;
    if (!matchesTarget(person, budget.row.namespace, budget.target)) continue;
    budgets.push(budget.shared ?? personBudget(budget.row, budget.key, (owner ??= `person:${personId}`)));
  }
  const policyIds = candidates(index.policiesBy, teams, row.email).filter((id) => {
    const policy = index.policies.get(id)!;
    return matchesTarget(person, policy.row.namespace, policy.target);
  });
  const matcher = matcherFor(index, policyIds);
  return {
    personId,
    email: row.email,
    name: row.name,
    jobLevel: row.job_level,
    team: primary?.ref ?? null,
    budgets,
    isAllowed: matcher.isAllowed,
    rateLimits: matcher.rateLimits,
  };
}

/**
 * A service account's principals, one per key (empty when its team is inactive): the Shared
 * budgets and the ModelPolicies that name its team, as compile-service-accounts.ts defines.
 */
export function compileAccount(index: PolicyIndex, accountId: bigint): Map<string, PersonPolicy> {
  const out = new Map<string, PersonPolicy>();
  const account = index.accounts.get(accountId);
  const teamId = account && index.teamIdByKey.get(account.teamKey);
  const team = teamId === undefined ? undefined : index.teams.get(teamId);
  if (!account || !team || account.keys.length === 0) return out;
  const matches = (namespace: string, target: Parameters<typeof serviceAccountMatches>[2]) => serviceAccountMatches(account, namespace, target);
  const budgets: PersonBudget[] = [];
  const teams = new Set([team.key]);
  for (const id of candidates(index.budgetsBy, teams, null)) {
    const budget = index.budgets.get(id)!;
    if (budget.shared && matches(budget.row.namespace, budget.target)) budgets.push(budget.shared);
  }
  const policyIds = candidates(index.policiesBy, teams, null).filter((id) => {
    const policy = index.policies.get(id)!;
    return matches(policy.row.namespace, policy.target);
  });
  const matcher = matcherFor(index, policyIds);
  const name = `${account.teamKey}/${account.name}`;
  const base = {
    personId: -accountId,
    email: name,
    name: account.name,
    jobLevel: account.jobLevel,
    team: team.ref,
    budgets,
    isAllowed: matcher.isAllowed,
    rateLimits: matcher.rateLimits,
  };
  for (const key of account.keys) out.set(key.hash, { ...base, serviceAccount: { id: accountId, name, apiKeyId: key.id } });
  return out;
}

/** Ids (sorted) of the entries that name one of these teams or this email. */
function candidates(by: TargetIndex, teams: ReadonlySet<string>, email: string | null): bigint[] {
  const ids = new Set<bigint>(email === null ? undefined : by.byEmail.get(email));
  for (const team of teams) for (const id of by.byTeam.get(team) ?? []) ids.add(id);
  return [...ids].sort(compareIds);
}

/** People matched by the same policies share one matcher: a handful of regexes, not two per person. */
function matcherFor(index: PolicyIndex, policyIds: readonly bigint[]): Matcher {
  const key = policyIds.join(',');
  const cached = index.matchers.get(key);
  if (cached) return cached;
  const rows = policyIds.map((id) => index.policies.get(id)!.row);
  const allow = compileGlobs(rows.flatMap((p) => p.allow));
  const deny = compileGlobs(rows.flatMap((p) => p.deny));
  const matcher: Matcher = {
    policyIds,
    // Deny wins over allow; nobody may call a model no policy allows.
    isAllowed: (model) => {
      const names = typeof model === 'string' ? [model] : model;
      return names.some(allow) && !names.some(deny);
    },
    rateLimits: {
      requestsPerMinute: minOf(rows.map((p) => p.requests_per_minute)),
      tokensPerMinute: minOf(rows.map((p) => p.tokens_per_minute)),
    },
  };
  index.matchers.set(key, matcher);
  return matcher;
}

function minOf(values: readonly (number | null)[]): number | null {
  return values.filter((v): v is number => v !== null).reduce<number | null>((a, v) => (a === null ? v : Math.min(a, v)), null);
}
