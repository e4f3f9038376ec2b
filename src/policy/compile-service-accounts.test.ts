import { describe, expect, it } from 'vitest';
import { compilePolicy } from './compile-policy.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';

const snapshot = (): PolicySnapshot => ({
  people: [{ id: 1n, email: 'ada@acme.example', name: 'Ada', job_level: 6 }],
  keys: [{ key_hash: 'h-ada', person_id: 1n }],
  teams: [
    { id: 10n, namespace: 'acme', name: 'engineering', cost_center: 'CC-ENG-001' },
    { id: 11n, namespace: 'acme', name: 'support', cost_center: null },
  ],
  members: [{ team_id: 10n, person_id: 1n }],
  budgets: [
    { id: 100n, namespace: 'acme', name: 'principal', target: { teams: ['engineering'], jobLevels: { min: 6 } }, scope: 'PerMember', amount_nanos: 3_000n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard' },
    { id: 101n, namespace: 'acme', name: 'eng-cap', target: { teams: ['engineering'] }, scope: 'Shared', amount_nanos: 9_000n, period: 'Daily', time_zone: 'UTC', enforcement: 'Hard' },
    { id: 102n, namespace: 'acme', name: 'eng-senior-pool', target: { teams: ['engineering'], jobLevels: { min: 4 } }, scope: 'Shared', amount_nanos: 5_000n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Soft' },
    { id: 103n, namespace: 'acme', name: 'by-user', target: { users: ['ada@acme.example'] }, scope: 'Shared', amount_nanos: 1n, period: 'Daily', time_zone: 'UTC', enforcement: 'Hard' },
  ],
  policies: [
    { id: 200n, namespace: 'acme', name: 'mini', target: { teams: ['engineering'] }, allow: ['openai/gpt-4o-mini'], deny: [], requests_per_minute: 60, tokens_per_minute: null },
    { id: 201n, namespace: 'acme', name: 'senior', target: { teams: ['engineering'], jobLevels: { min: 4 } }, allow: ['anthropic/*'], deny: [], requests_per_minute: 30, tokens_per_minute: null },
    { id: 202n, namespace: 'other', name: 'elsewhere', target: { teams: ['engineering'] }, allow: ['google/*'], deny: [], requests_per_minute: null, tokens_per_minute: null },
  ],
  serviceKeys: [
    { id: 500n, key_hash: 'h-ci-1', service_account_id: 7n, name: 'ci-bot', job_level: null, team_namespace: 'acme', team_name: 'engineering' },
    { id: 501n, key_hash: 'h-ci-2', service_account_id: 7n, name: 'ci-bot', job_level: null, team_namespace: 'acme', team_name: 'engineering' },
    { id: 502n, key_hash: 'h-review', service_account_id: 8n, name: 'reviewer', job_level: 5, team_namespace: 'acme', team_name: 'engineering' },
    { id: 503n, key_hash: 'h-orphan', service_account_id: 9n, name: 'old-bot', job_level: null, team_namespace: 'acme', team_name: 'gone' },
  ],
});

describe('service keys in the compiled policy', () => {
  const policy = compilePolicy(snapshot());
  const ci = policy.byKeyHash.get('h-ci-1')!;
  const reviewer = policy.byKeyHash.get('h-review')!;

  it('maps every key of an active account of an active team, naming the key', () => {
    expect(policy.byKeyHash.has('h-orphan')).toBe(false);
    expect(ci.serviceAccount).toEqual({ id: 7n, name: 'acme/engineering/ci-bot', apiKeyId: 500n });
    expect(policy.byKeyHash.get('h-ci-2')!.serviceAccount?.apiKeyId).toBe(501n);
    expect(policy.byKeyHash.get('h-ada')!.serviceAccount).toBeUndefined();
    // Not a person: never reachable by email, and its rate-limit identity is not a person's id.
    expect(policy.byEmail.size).toBe(1);
    expect(ci.personId).toBe(-7n);
  });

  it("spends from the team's Shared wallets only: PerMember and users targets do not apply", () => {
    expect(ci.budgets.map((b) => b.budget)).toEqual(['acme/eng-cap']);
    expect(ci.budgets[0]!.owner).toBe('shared');
    expect(ci.team).toEqual({ key: 'acme/engineering', costCenter: 'CC-ENG-001' });
    // A declared job level places it in a tier's Shared pool too.
    expect(reviewer.budgets.map((b) => b.budget)).toEqual(['acme/eng-cap', 'acme/eng-senior-pool']);
  });

  it("is limited by the ModelPolicies targeting its team (of the team's namespace), with their rate limits", () => {
    expect(ci.isAllowed('openai/gpt-4o-mini')).toBe(true);
    expect(ci.isAllowed('anthropic/claude-sonnet-4-5')).toBe(false);
    expect(ci.isAllowed('google/gemini-2.5-flash')).toBe(false);
    expect(ci.rateLimits).toEqual({ requestsPerMinute: 60, tokensPerMinute: null });
    expect(reviewer.isAllowed('anthropic/claude-sonnet-4-5')).toBe(true);
    expect(reviewer.rateLimits.requestsPerMinute).toBe(30);
  });
});
