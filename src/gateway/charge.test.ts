import { describe, expect, it } from 'vitest';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import { defaultCatalog } from '../pricing/catalog.ts';
import { costOf, zeroUsage } from '../pricing/cost.ts';
import type { Admission } from './admit.ts';
import { overageOf, settlementFor } from './charge.ts';
import { NO_REACH, type RequestReach } from './reach-shared.ts';
import { openaiUpstream } from './upstreams/direct.ts';
import { staticSecret } from './upstreams/secrets.ts';

const person = (hard: boolean): PersonPolicy => ({
  personId: 1n,
  email: 'ada@acme.example',
  name: 'Ada',
  jobLevel: 6,
  team: null,
  budgets: [{ budgetId: 1n, budget: 'acme/b', owner: 'person:1', period: 'Daily', timeZone: 'UTC', limitNanos: 10_000_000n, hard }],
  isAllowed: () => true,
  rateLimits: { requestsPerMinute: null, tokensPerMinute: null },
});

const admission = (model: string, estimateNanos: bigint, reach: RequestReach = NO_REACH, hard = true): Admission => {
  const resolved = defaultCatalog().resolve(model)!;
  return {
    requestId: 'req-1',
    person: person(hard),
    provider: resolved.provider,
    model: resolved.model,
    resolved,
    upstream: openaiUpstream({ name: 'openai', baseUrl: 'http://x', apiKey: staticSecret('k', 'test') }),
    modelId: resolved.providerModelId,
    stream: false,
    reach,
    estimateNanos,
    budgetHeaders: {},
  };
};
const usage = { ...zeroUsage, inputTokens: 1_000, outputTokens: 100 };
const NOW = new Date('2026-11-30T00:00:00Z');

describe('settlementFor', () => {
  it('prices reported usage', () => {
    const s = settlementFor(admission('gpt-4o-mini', 1_000_000n), { httpStatus: 200, usage, partial: false, latencyMs: 5 }, NOW);
    expect(s).toMatchObject({ pricingStatus: 'priced', costNanos: costOf(defaultCatalog().resolve('gpt-4o-mini')!.price!, usage), inputTokens: 1_000, outputTokens: 100 });
  });

  it('adds the reported tool calls at the request rates, and fixed fees', () => {
    const reach: RequestReach = { ...NO_REACH, serverToolCalls: 5, toolRates: { web_search: 25_000_000n }, callFeesNanos: 125_000_000n, fixedFeesNanos: 30_000_000n };
    const tokens = costOf(defaultCatalog().resolve('gpt-4o')!.price!, usage);
    const s = settlementFor(admission('gpt-4o', 1_000_000_000n, reach), { httpStatus: 200, usage: { ...usage, toolCalls: { web_search: 2 } }, partial: false, latencyMs: 5 }, NOW);
    expect(s.costNanos).toBe(tokens + 50_000_000n + 30_000_000n);
    // A kind the request did not declare is billed at the provider's listed fee, never free.
    const undeclared = settlementFor(admission('gpt-4o', 1_000_000_000n), { httpStatus: 200, usage: { ...usage, toolCalls: { file_search: 4 } }, partial: false, latencyMs: 5 }, NOW);
    expect(undeclared.costNanos).toBe(tokens + 10_000_000n);
  });

  it('charges a success that carries no usage at all its reservation, never $0', () => {
    const s = settlementFor(admission('gpt-4o-mini', 777_000n), { httpStatus: 200, usage: null, partial: false, latencyMs: 5 }, NOW);
    expect(s).toMatchObject({ pricingStatus: 'estimated', costNanos: 777_000n });
  });

  it('charges nothing for an error without usage, and records unpriced models without counting them', () => {
    expect(settlementFor(admission('gpt-4o-mini', 777_000n), { httpStatus: 502, usage: null, partial: false, latencyMs: 5 }, NOW)).toMatchObject({ pricingStatus: 'priced', costNanos: 0n });
    expect(settlementFor(admission('openai/some-new-model', 0n), { httpStatus: 200, usage, partial: false, latencyMs: 5 }, NOW)).toMatchObject({ pricingStatus: 'unpriced', costNanos: 0n });
    expect(settlementFor(admission('openai/some-new-model', 0n), { httpStatus: 200, usage: null, partial: false, latencyMs: 5 }, NOW)).toMatchObject({ pricingStatus: 'unpriced', costNanos: 0n });
  });

  it('marks estimated usage (a cut stream, a response without usage) as estimated', () => {
    expect(settlementFor(admission('gpt-4o-mini', 1_000_000n), { httpStatus: 200, usage, partial: true, latencyMs: 5 }, NOW).pricingStatus).toBe('estimated');
  });
});

describe('overageOf', () => {
  const settlement = (cost: bigint, status: 'priced' | 'unpriced' = 'priced') => ({ ...settlementFor(admission('gpt-4o-mini', 1n), { httpStatus: 200, usage, partial: false, latencyMs: 1 }, NOW), costNanos: cost, pricingStatus: status });
  it('is what a settlement costs beyond its reservation on a hard wallet', () => {
    expect(overageOf(admission('gpt-4o-mini', 100n), settlement(150n))).toBe(50n);
    expect(overageOf(admission('gpt-4o-mini', 100n), settlement(100n))).toBe(0n);
    expect(overageOf(admission('gpt-4o-mini', 100n, NO_REACH, false), settlement(150n))).toBe(0n); // soft: no limit to overrun
    expect(overageOf(admission('gpt-4o-mini', 100n), settlement(150n, 'unpriced'))).toBe(0n);
  });
});
