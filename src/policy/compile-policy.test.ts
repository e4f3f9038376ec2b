import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../pricing/catalog.ts';
import { fingerprint } from '../../test/support/policy-fingerprint.ts';
import { random } from '../../test/support/random.ts';
import { compilePolicy, matchesTarget } from './compile-policy.ts';
import { compilePolicyReference } from './compile-policy-reference.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { targetSchema } from './resource.schema.ts';

const snapshot = (): PolicySnapshot => ({
  people: [
    { id: 1n, email: 'ada@acme.example', name: 'Ada', job_level: 6 },
    { id: 2n, email: 'alan@acme.example', name: 'Alan', job_level: 2 },
    { id: 3n, email: 'nolevel@acme.example', name: null, job_level: null },
  ],
  keys: [
    { key_hash: 'h-ada', person_id: 1n },
    { key_hash: 'h-alan', person_id: 2n },
    { key_hash: 'h-gone', person_id: 99n },
  ],
  teams: [{ id: 10n, namespace: 'acme', name: 'engineering', cost_center: 'CC-ENG-001' }],
  members: [
    { team_id: 10n, person_id: 1n },
    { team_id: 10n, person_id: 2n },
    { team_id: 10n, person_id: 3n },
    { team_id: 77n, person_id: 1n }, // an inactive team's membership is ignored
  ],
  budgets: [
    { id: 100n, namespace: 'acme', name: 'principal', target: { teams: ['engineering'], jobLevels: { min: 6 } }, scope: 'PerMember', amount_nanos: 3_000n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard' },
    { id: 101n, namespace: 'acme', name: 'eng-cap', target: { teams: ['engineering'] }, scope: 'Shared', amount_nanos: 9_000n, period: 'Daily', time_zone: 'UTC', enforcement: 'Soft' },
    { id: 102n, namespace: 'other', name: 'elsewhere', target: { teams: ['engineering'] }, scope: 'Shared', amount_nanos: 1n, period: 'Daily', time_zone: 'UTC', enforcement: 'Hard' },
  ],
  policies: [
    { id: 200n, namespace: 'acme', name: 'all', target: { teams: ['engineering'], jobLevels: { min: 6 } }, allow: ['openai/*', 'anthropic/*'], deny: ['openai/o1-pro*'], requests_per_minute: null, tokens_per_minute: null },
    { id: 201n, namespace: 'acme', name: 'mini', target: { teams: ['engineering'] }, allow: ['openai/gpt-4o-mini'], deny: [], requests_per_minute: 60, tokens_per_minute: null },
    { id: 203n, namespace: 'acme', name: 'no-4o', target: { teams: ['engineering'], jobLevels: { min: 6 } }, allow: [], deny: ['openai/gpt-4o'], requests_per_minute: null, tokens_per_minute: null },
    { id: 202n, namespace: 'acme', name: 'by-user', target: { users: ['alan@acme.example'] }, allow: ['google/gemini-*'], deny: [], requests_per_minute: 30, tokens_per_minute: 1000 },
  ],
  serviceKeys: [],
});

describe('compilePolicy', () => {
  const policy = compilePolicy(snapshot());
  const ada = policy.byKeyHash.get('h-ada')!;
  const alan = policy.byKeyHash.get('h-alan')!;

  it('maps only keys of active people', () => {
    expect(policy.byKeyHash.size).toBe(2);
    expect(policy.byKeyHash.has('h-gone')).toBe(false);
  });

  it('adds up allows across matching policies and lets deny win', () => {
    expect(ada.isAllowed('anthropic/claude-sonnet-4-5')).toBe(true);
    expect(ada.isAllowed('openai/o1-pro')).toBe(false);
    expect(ada.isAllowed('google/gemini-2.5-pro')).toBe(false);
    expect(alan.isAllowed('openai/gpt-4o-mini')).toBe(true);
    expect(alan.isAllowed('google/gemini-2.5-flash')).toBe(true);
    expect(alan.isAllowed('openai/gpt-4o')).toBe(false);
  });

  it('matches a rule on a model against its dated snapshots through the family', () => {
    const family = (requested: string) => defaultCatalog().resolve(requested)!.family;
    // Priced on its own, yet the first GPT-4o snapshot: `deny: openai/gpt-4o` covers it.
    expect(family('gpt-4o-2024-05-13')).toEqual(['openai/gpt-4o-2024-05-13', 'openai/gpt-4o']);
    expect(ada.isAllowed(family('gpt-4o-2024-05-13'))).toBe(false);
    expect(ada.isAllowed(family('openai/gpt-4o-2024-08-06'))).toBe(false); // an alias of gpt-4o
    expect(ada.isAllowed(family('openai/gpt-4o-2099-01-31'))).toBe(false); // a raw snapshot the catalog does not list
    expect(ada.isAllowed(family('gpt-4o'))).toBe(false);
    expect(ada.isAllowed(family('gpt-4o-mini-2024-07-18'))).toBe(true); // another model, not a snapshot of gpt-4o
    // Allowing a model allows its snapshots; allowing one snapshot does not allow the model.
    expect(alan.isAllowed(family('gpt-4o-mini-2024-07-18'))).toBe(true);
    expect(alan.isAllowed(family('openai/gpt-4o-mini-2099-12-31'))).toBe(true);
    expect(alan.isAllowed(family('gpt-4o-2024-05-13'))).toBe(false);
  });

  it('gives PerMember budgets a personal wallet and Shared budgets one team wallet, same namespace only', () => {
    expect(ada.budgets.map((b) => [b.budget, b.owner, b.hard])).toEqual([
      ['acme/principal', 'person:1', true],
      ['acme/eng-cap', 'shared', false],
    ]);
    expect(alan.budgets.map((b) => b.budget)).toEqual(['acme/eng-cap']);
  });

  it('books spend to the primary team with its cost center', () => {
    expect(ada.team).toEqual({ key: 'acme/engineering', costCenter: 'CC-ENG-001' });
  });

  it('takes the strictest rate limit of the matching policies', () => {
    expect(alan.rateLimits).toEqual({ requestsPerMinute: 30, tokensPerMinute: 1000 });
  });
});

describe('matchesTarget', () => {
  const person = { id: 3n, email: 'x@acme.example', jobLevel: null, teams: new Set(['acme/engineering']) };
  it('never matches a person without a job level when levels are required', () => {
    expect(matchesTarget(person, 'acme', targetSchema.parse({ teams: ['engineering'], jobLevels: { min: 1 } }))).toBe(false);
    expect(matchesTarget(person, 'acme', targetSchema.parse({ teams: ['engineering'] }))).toBe(true);
  });
  it('matches listed users whatever their team', () => {
    expect(matchesTarget(person, 'zzz', targetSchema.parse({ users: ['X@acme.example'] }))).toBe(true);
  });
});

const PATTERNS = ['openai/*', 'anthropic/*', 'google/*', 'openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/o1-pro*', 'anthropic/claude-sonnet-*', 'google/gemini-2.5-flash'];

function randomSnapshot(seed: number): PolicySnapshot {
  const r = random(seed);
  const namespaces = ['acme', 'beta'];
  const teamNames = ['eng', 'product', 'design', 'support', 'ghost'];
  const teams = namespaces.flatMap((ns, i) => teamNames.slice(0, 4).map((name, j) => ({ id: BigInt(10 + i * 10 + j), namespace: ns, name, cost_center: r.next() < 0.8 ? `CC-${ns}-${name}` : null })));
  const activeTeams = teams.filter(() => r.next() < 0.9);
  const people = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i + 1), email: `p${i}@x.example`, name: r.next() < 0.5 ? `P ${i}` : null, job_level: r.next() < 0.15 ? null : r.int(9) }));
  const active = people.filter(() => r.next() < 0.9);
  const members = people.flatMap((p) => r.some(teams, 0.2).map((t) => ({ team_id: t.id, person_id: p.id })));
  const keys = people.flatMap((p) => Array.from({ length: r.int(3) }, (_, k) => ({ key_hash: `h${p.id}-${k}`, person_id: p.id })));
  const target = () => {
    const t: Record<string, unknown> = { teams: r.some(teamNames, 0.3), users: r.some(people, 0.05).map((p) => p.email) };
    if (r.next() < 0.4) t.jobLevels = r.next() < 0.5 ? { min: r.int(6) } : { min: r.int(4), max: 4 + r.int(4) };
    if ((t.teams as string[]).length === 0 && (t.users as string[]).length === 0) t.teams = [r.pick(teamNames)];
    return t;
  };
  const budgets = Array.from({ length: 12 }, (_, i) => ({
    id: BigInt(100 + i),
    namespace: r.pick(namespaces),
    name: `b${i}`,
    target: target(),
    scope: r.pick(['PerMember', 'Shared'] as const),
    amount_nanos: BigInt(1 + r.int(1000)),
    period: r.pick(['Daily', 'Weekly', 'Monthly'] as const),
    time_zone: 'UTC',
    enforcement: r.pick(['Hard', 'Soft'] as const),
  }));
  const policies = Array.from({ length: 10 }, (_, i) => ({
    id: BigInt(200 + i),
    namespace: r.pick(namespaces),
    name: `m${i}`,
    target: target(),
    allow: r.some(PATTERNS, 0.25),
    deny: r.some(PATTERNS, 0.1),
    requests_per_minute: r.next() < 0.3 ? 1 + r.int(100) : null,
    tokens_per_minute: r.next() < 0.3 ? 1 + r.int(10_000) : null,
  }));
  let keyId = 1000n;
  const serviceKeys = Array.from({ length: 6 }, (_, i) => {
    const team = r.pick(teams); // its team may be inactive: its keys then stop
    return Array.from({ length: r.int(3) }, () => ({
      id: ++keyId,
      key_hash: `svc${i}-${keyId}`,
      service_account_id: BigInt(500 + i),
      name: `bot${i}`,
      job_level: r.next() < 0.5 ? null : r.int(9),
      team_namespace: team.namespace,
      team_name: team.name,
    }));
  }).flat();
  return { people: active, keys, teams: activeTeams, members, budgets, policies, serviceKeys };
}

describe('compilePolicy, indexed', () => {
  it('compiles exactly what the previous full scan compiled, over random policies', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const snapshot = randomSnapshot(seed);
      expect(fingerprint(compilePolicy(snapshot)), `seed ${seed}`).toEqual(fingerprint(compilePolicyReference(snapshot)));
    }
  });

  it('shares one matcher among people matched by the same policies', () => {
    const policy = compilePolicy(snapshot());
    expect(policy.byKeyHash.get('h-ada')!.isAllowed).not.toBe(policy.byKeyHash.get('h-alan')!.isAllowed);
    const twins = compilePolicy({ ...snapshot(), people: [...snapshot().people, { id: 4n, email: 'twin@acme.example', name: null, job_level: 7 }], members: [...snapshot().members, { team_id: 10n, person_id: 4n }] });
    expect(twins.byEmail.get('twin@acme.example')!.isAllowed).toBe(twins.byEmail.get('ada@acme.example')!.isAllowed);
  });
});
