import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../pricing/catalog.ts';
import { costOf } from '../pricing/cost.ts';
import { planDemoTraffic, type DemoPerson, type DemoRequest } from './demo-traffic.plan.ts';

const catalog = defaultCatalog();
const price = (qualified: string) => catalog.resolve(qualified)?.price ?? null;
const usd = (n: number) => BigInt(n) * 1_000_000_000n;
const everything = () => true;
const noGoogle = (m: string) => !m.startsWith('google/');
const only = (...models: string[]) => (m: string) => models.includes(m);

// The example org's shape (examples/): allowances per tier, one Soft, two on small models only.
const PEOPLE: readonly DemoPerson[] = [
  { email: 'ada@x', allows: everything, monthlyAllowanceNanos: usd(3000), soft: false },
  { email: 'grace@x', allows: noGoogle, monthlyAllowanceNanos: usd(2000), soft: false },
  { email: 'alan@x', allows: noGoogle, monthlyAllowanceNanos: usd(1200), soft: false },
  { email: 'margaret@x', allows: noGoogle, monthlyAllowanceNanos: usd(1500), soft: true },
  { email: 'dieter@x', allows: only('openai/gpt-4o', 'openai/gpt-4o-mini'), monthlyAllowanceNanos: usd(800), soft: false },
  { email: 'sam@x', allows: only('openai/gpt-4o-mini'), monthlyAllowanceNanos: usd(200), soft: false },
];
const TO = new Date('2026-03-20T18:00:00Z');
const FROM = new Date(TO.getTime() - 30 * 86_400_000);
const MARCH = new Date('2026-03-01T00:00:00Z');

const costOfRequest = (r: DemoRequest): bigint =>
  costOf(price(r.model)!, { inputTokens: r.freshTokens, cachedInputTokens: r.cachedTokens, cacheWrite5mTokens: r.cacheWriteTokens, cacheWrite1hTokens: 0, outputTokens: r.outputTokens, reasoningTokens: 0 });

function spend(requests: readonly DemoRequest[], since = FROM) {
  const by = new Map<string, { requests: number; nanos: bigint }>();
  for (const r of requests) {
    if (r.at < since) continue;
    const s = by.get(r.email) ?? { requests: 0, nanos: 0n };
    by.set(r.email, { requests: s.requests + 1, nanos: s.nanos + costOfRequest(r) });
  }
  return by;
}
/** Planned March-to-date spend as a share of the person's monthly allowance. */
const marchShare = (requests: readonly DemoRequest[], email: string) =>
  Number(spend(requests, MARCH).get(email)!.nanos) / Number(PEOPLE.find((p) => p.email === email)!.monthlyAllowanceNanos);

describe('planDemoTraffic', () => {
  const plan = planDemoTraffic(PEOPLE, FROM, TO, price);

  it('is seeded: the same inputs give the same month, another seed another', () => {
    expect(planDemoTraffic(PEOPLE, FROM, TO, price)).toEqual(plan);
    expect(planDemoTraffic(PEOPLE, FROM, TO, price, { seed: 7 })).not.toEqual(plan);
  });

  it('sizes each month to the allowance: most a meaningful share, the Soft one past 80 %, one heavy user past the cap', () => {
    for (const email of ['ada@x', 'grace@x']) {
      expect(marchShare(plan, email)).toBeGreaterThan(0.2);
      expect(marchShare(plan, email)).toBeLessThan(0.6);
    }
    expect(marchShare(plan, 'margaret@x')).toBeGreaterThan(0.85); // the Soft allowance: 80 % alert, never refused
    // Alan has the smallest Hard allowance his models can outrun: he plans past it, the gateway stops him.
    expect(marchShare(plan, 'alan@x')).toBeGreaterThan(1.1);
    for (const email of ['ada@x', 'grace@x', 'dieter@x', 'sam@x']) expect(marchShare(plan, email)).toBeLessThan(1);
  });

  it('sends an ordinary day for whom only small models are allowed, and keeps the month to a few thousand requests', () => {
    const by = spend(plan);
    expect(by.get('sam@x')!.requests).toBeLessThan(400);
    expect(by.get('dieter@x')!.requests).toBeLessThan(400);
    expect(plan.length).toBeGreaterThan(4_000);
    expect(plan.length).toBeLessThan(8_000);
  });

  it('stays within each model and policy: allowed models, context window, output cap, cache writes on Anthropic only', () => {
    for (const r of plan) {
      const p = price(r.model)!;
      const person = PEOPLE.find((x) => x.email === r.email)!;
      expect(person.allows(`${p.provider}/${p.model}`)).toBe(true);
      expect(r.outputTokens).toBeLessThanOrEqual(r.maxTokens);
      expect(r.maxTokens).toBeLessThanOrEqual(p.maxOutputTokens);
      expect(r.freshTokens + r.cachedTokens + r.cacheWriteTokens).toBeLessThanOrEqual(p.contextWindow ?? Infinity);
      if (r.wire === 'openai') expect(r.cacheWriteTokens).toBe(0);
      expect(r.at >= FROM && r.at < TO).toBe(true);
    }
    expect(plan.map((r) => r.at.getTime())).toEqual(plan.map((r) => r.at.getTime()).sort((a, b) => a - b));
  });

  it('spreads spend over providers and models, and over workdays more than weekends', () => {
    const models = new Set(plan.map((r) => r.model));
    expect([...models].sort()).toEqual(['claude-haiku-4-5', 'claude-opus-4-6', 'claude-sonnet-4-6', 'gemini-2.5-pro', 'gpt-4o', 'gpt-4o-mini', 'gpt-5.4']);
    const weekend = plan.filter((r) => [0, 6].includes(r.at.getUTCDay())).length;
    expect(weekend).toBeGreaterThan(0);
    expect(weekend).toBeLessThan(plan.length / 20);
  });

  it('sends fewer requests when asked (tests), with no heavy user the smaller month cannot show', () => {
    const small = planDemoTraffic(PEOPLE, FROM, TO, price, { maxPerWorkday: 3 });
    expect(small.length).toBeLessThan(600);
    expect(marchShare(small, 'alan@x')).toBeLessThan(1);
  });
});
