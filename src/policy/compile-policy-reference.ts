// main's compilePolicy before issue 10's incremental updates (every person checked against
// every budget and policy, two regexes compiled per person, service keys as main compiles
// them), kept unchanged as an oracle: the tests check the indexed compile against it, and
// `npm run bench:policy` measures it as the reference. No process uses it.
import { serviceKeyPrincipals } from './compile-service-accounts.ts';
import { compileGlobs } from './glob.ts';
import { matchesTarget, type TargetCandidate } from './match-target.ts';
import type { CompiledPolicy, PersonPolicy } from './person-policy.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { storedTargetSchema } from './resource.schema.ts';

interface Person extends TargetCandidate {
  readonly id: bigint;
}

export function compilePolicyReference(snapshot: PolicySnapshot): CompiledPolicy {
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
