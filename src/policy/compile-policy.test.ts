import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../pricing/catalog.ts';
import { compilePolicy, matchesTarget } from './compile-policy.ts';
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
