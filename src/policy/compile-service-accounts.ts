import { compileGlobs } from './glob.ts';
import type { PersonBudget, PersonPolicy } from './compile-policy.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { storedTargetSchema } from './resource.schema.ts';

/** Who a service key is, for the ledger: the key itself and its account as `namespace/team/name`. */
export interface ServiceAccountRef {
  readonly id: bigint;
  readonly name: string;
  readonly apiKeyId: bigint;
}

type Target = ReturnType<typeof storedTargetSchema.parse>;

/**
 * A service account matches a target that names its team, within `jobLevels` when the target
 * has a range and the account declares a level (no level never matches a range, as for people).
 * `users` never match it: it is nobody's email.
 */
export function serviceAccountMatches(account: { readonly teamKey: string; readonly jobLevel: number | null }, namespace: string, target: Target): boolean {
  if (!target.teams.some((t) => `${namespace}/${t}` === account.teamKey)) return false;
  const levels = target.jobLevels;
  if (!levels) return true;
  if (account.jobLevel === null) return false;
  return (levels.min === undefined || account.jobLevel >= levels.min) && (levels.max === undefined || account.jobLevel <= levels.max);
}

/**
 * Pure: one principal per active service key. A service account spends from the Shared
 * wallets of its team only (PerMember budgets are per person: a bot is not a member with an
 * allowance of its own, and declaring bots must not mint money), and may call what the
 * ModelPolicies targeting its team allow. Its `personId` is the negated account id: the
 * rate limiter's identity, never a person's; the ledger gets no person for it.
 */
export function serviceKeyPrincipals(snapshot: PolicySnapshot): Map<string, PersonPolicy> {
  const out = new Map<string, PersonPolicy>();
  if (snapshot.serviceKeys.length === 0) return out;
  const teams = new Map(snapshot.teams.map((t) => [`${t.namespace}/${t.name}`, t]));
  const budgets = snapshot.budgets.filter((b) => b.scope === 'Shared').map((b) => ({ row: b, target: storedTargetSchema.parse(b.target) }));
  const policies = snapshot.policies.map((p) => ({ row: p, target: storedTargetSchema.parse(p.target) }));
  const byAccount = new Map<bigint, Omit<PersonPolicy, 'serviceAccount'>>();
  for (const key of snapshot.serviceKeys) {
    const teamKey = `${key.team_namespace}/${key.team_name}`;
    const team = teams.get(teamKey);
    if (!team) continue; // inactive team: its service keys stop with it
    let base = byAccount.get(key.service_account_id);
    if (!base) {
      const account = { teamKey, jobLevel: key.job_level };
      const mine = policies.filter((p) => serviceAccountMatches(account, p.row.namespace, p.target));
      const allow = compileGlobs(mine.flatMap((p) => p.row.allow));
      const deny = compileGlobs(mine.flatMap((p) => p.row.deny));
      const minOf = (values: (number | null)[]) => values.filter((v): v is number => v !== null).reduce<number | null>((a, v) => (a === null ? v : Math.min(a, v)), null);
      base = {
        personId: -key.service_account_id,
        email: `${teamKey}/${key.name}`,
        name: key.name,
        jobLevel: key.job_level,
        team: { key: teamKey, costCenter: team.cost_center },
        budgets: budgets
          .filter((b) => serviceAccountMatches(account, b.row.namespace, b.target))
          .map((b): PersonBudget => ({
            budgetId: b.row.id,
            budget: `${b.row.namespace}/${b.row.name}`,
            owner: 'shared',
            period: b.row.period,
            timeZone: b.row.time_zone,
            limitNanos: b.row.amount_nanos,
            hard: b.row.enforcement === 'Hard',
          })),
        isAllowed: (model) => {
          const names = typeof model === 'string' ? [model] : model;
          return names.some(allow) && !names.some(deny);
        },
        rateLimits: {
          requestsPerMinute: minOf(mine.map((p) => p.row.requests_per_minute)),
          tokensPerMinute: minOf(mine.map((p) => p.row.tokens_per_minute)),
        },
      };
      byAccount.set(key.service_account_id, base);
    }
    out.set(key.key_hash, { ...base, serviceAccount: { id: key.service_account_id, name: `${teamKey}/${key.name}`, apiKeyId: key.id } });
  }
  return out;
}
