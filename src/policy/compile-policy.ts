import type { Period } from '../ledger/period.ts';
import { serviceKeyPrincipals, type ServiceAccountRef } from './compile-service-accounts.ts';
import { compileGlobs } from './glob.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { storedTargetSchema, type Target } from './resource.schema.ts';

export interface PersonBudget {
  readonly budgetId: bigint;
  readonly budget: string; // namespace/name
  readonly owner: string; // 'shared' or 'person:<id>'
  readonly period: Period;
  readonly timeZone: string;
  readonly limitNanos: bigint;
  readonly hard: boolean;
}

export interface PersonPolicy {
  readonly personId: bigint;
  readonly email: string;
  readonly name: string | null;
  readonly jobLevel: number | null;
  /** The team the ledger books spend to: the first membership by namespace/name. */
  readonly team: { readonly key: string; readonly costCenter: string | null } | null;
  readonly budgets: readonly PersonBudget[];
  /**
   * A model is allowed when a policy allows one of its names and none denies any of them.
   * Pass the request's family (`ResolvedModel.family`: the id asked for, its canonical
   * model, both without a snapshot date) so that a rule on a model covers its snapshots.
   */
  readonly isAllowed: (providerModel: string | readonly string[]) => boolean;
  readonly rateLimits: { readonly requestsPerMinute: number | null; readonly tokensPerMinute: number | null };
  /** Set when the key belongs to a team's service account (then `personId` is the negated account id). */
  readonly serviceAccount?: ServiceAccountRef;
}

export interface CompiledPolicy {
  readonly byKeyHash: ReadonlyMap<string, PersonPolicy>;
  readonly byEmail: ReadonlyMap<string, PersonPolicy>;
}

interface Person {
  readonly id: bigint;
  readonly email: string;
  readonly jobLevel: number | null;
  readonly teams: ReadonlySet<string>; // namespace/name
}

/** Pure: snapshot rows in, per-person compiled policy out. */
export function compilePolicy(snapshot: PolicySnapshot): CompiledPolicy {
  const teamKey = new Map(snapshot.teams.map((t) => [t.id, `${t.namespace}/${t.name}`]));
  const costCenter = new Map(snapshot.teams.map((t) => [`${t.namespace}/${t.name}`, t.cost_center]));
  const teamsOf = new Map<bigint, Set<string>>();
  for (const m of snapshot.members) {
    const key = teamKey.get(m.team_id);
    if (!key) continue; // inactive team
    const set = teamsOf.get(m.person_id) ?? new Set<string>();
    set.add(key);
    teamsOf.set(m.person_id, set);
  }
  const budgets = snapshot.budgets.map((b) => ({ row: b, target: storedTargetSchema.parse(b.target) }));
  const policies = snapshot.policies.map((p) => ({ row: p, target: storedTargetSchema.parse(p.target) }));

  const byId = new Map<bigint, PersonPolicy>();
  const byEmail = new Map<string, PersonPolicy>();
  for (const row of snapshot.people) {
    const person: Person = { id: row.id, email: row.email, jobLevel: row.job_level, teams: teamsOf.get(row.id) ?? new Set() };
    const primary = [...person.teams].sort()[0];
    const mine = policies.filter((p) => matchesTarget(person, p.row.namespace, p.target));
    const minOf = (values: (number | null)[]) => values.filter((v): v is number => v !== null).reduce<number | null>((a, v) => (a === null ? v : Math.min(a, v)), null);
    const allow = compileGlobs(mine.flatMap((p) => p.row.allow));
    const deny = compileGlobs(mine.flatMap((p) => p.row.deny));
    const compiled: PersonPolicy = {
      personId: row.id,
      email: row.email,
      name: row.name,
      jobLevel: row.job_level,
      team: primary ? { key: primary, costCenter: costCenter.get(primary) ?? null } : null,
      budgets: budgets
        .filter((b) => matchesTarget(person, b.row.namespace, b.target))
        .map((b) => ({
          budgetId: b.row.id,
          budget: `${b.row.namespace}/${b.row.name}`,
          owner: b.row.scope === 'Shared' ? 'shared' : `person:${row.id}`,
          period: b.row.period,
          timeZone: b.row.time_zone,
          limitNanos: b.row.amount_nanos,
          hard: b.row.enforcement === 'Hard',
        })),
      // Deny wins over allow; nobody may call a model no policy allows.
      isAllowed: (model) => {
        const names = typeof model === 'string' ? [model] : model;
        return names.some(allow) && !names.some(deny);
      },
      rateLimits: {
        requestsPerMinute: minOf(mine.map((p) => p.row.requests_per_minute)),
        tokensPerMinute: minOf(mine.map((p) => p.row.tokens_per_minute)),
      },
    };
    byId.set(row.id, compiled);
    byEmail.set(row.email, compiled);
  }
  const byKeyHash = new Map<string, PersonPolicy>();
  for (const key of snapshot.keys) {
    const person = byId.get(key.person_id);
    if (person) byKeyHash.set(key.key_hash, person);
  }
  for (const [hash, principal] of serviceKeyPrincipals(snapshot)) byKeyHash.set(hash, principal);
  return { byKeyHash, byEmail };
}

/** A person matches when listed in `users`, or a member of a named team (same namespace) within `jobLevels`. */
export function matchesTarget(person: Person, namespace: string, target: Target): boolean {
  if (target.users.includes(person.email)) return true;
  if (!target.teams.some((t) => person.teams.has(`${namespace}/${t}`))) return false;
  const levels = target.jobLevels;
  if (!levels) return true;
  if (person.jobLevel === null) return false;
  return (levels.min === undefined || person.jobLevel >= levels.min) && (levels.max === undefined || person.jobLevel <= levels.max);
}
