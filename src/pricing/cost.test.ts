import { describe, expect, it } from 'vitest';
import { defaultCatalog, parseCatalogEntries } from './catalog.ts';
import type { CatalogEntryInput } from './catalog.schema.ts';
import { costOf, fillRates, settlementCost, zeroUsage, type Usage } from './cost.ts';

const price = (model: string) => defaultCatalog().resolve(model)!.price!;
const usage = (u: Partial<Usage>): Usage => ({ ...zeroUsage, ...u });
const custom = (e: Partial<CatalogEntryInput>) =>
  parseCatalogEntries([{ provider: 'openai', model: 'custom', input: '1', output: '1', maxOutputTokens: 10, source: 'https://e.com', checkedOn: '2026-11-22', ...e }])[0]!;

describe('costOf', () => {
  it('bills $X per 1M tokens as X × 1,000 nano-dollars per token', () => {
    expect(costOf(price('gpt-4o-mini'), usage({ inputTokens: 1 }))).toBe(150n); // $0.15/M
    expect(costOf(price('gpt-4o-mini'), usage({ cachedInputTokens: 1 }))).toBe(75n); // $0.075/M
    expect(costOf(price('text-embedding-3-small'), usage({ inputTokens: 1 }))).toBe(20n); // $0.02/M
    expect(costOf(price('gpt-5-nano'), usage({ cachedInputTokens: 3 }))).toBe(15n); // $0.005/M: 3 × 5, exact
    expect(costOf(price('gpt-4o'), usage({ inputTokens: 1_000_000 }))).toBe(2_500_000_000n); // $2.50 exactly
  });

  it('rounds up to the next nano-dollar, once, after summing the parts', () => {
    const tiny = custom({ input: '0.0004', cachedInput: '0.0003', output: '0.0004' }); // 0.4 and 0.3 nano a token
    expect(costOf(tiny, usage({ inputTokens: 1 }))).toBe(1n); // 0.4 → 1
    expect(costOf(tiny, usage({ inputTokens: 1, cachedInputTokens: 1 }))).toBe(1n); // 0.7 → 1, not 1 + 1
    expect(costOf(tiny, usage({ inputTokens: 3, cachedInputTokens: 1 }))).toBe(2n); // 1.5 → 2
    expect(costOf(tiny, usage({ inputTokens: 5 }))).toBe(2n); // exactly 2.0 stays 2
    expect(costOf(tiny, zeroUsage)).toBe(0n);
  });

  it('prices OpenAI-style usage: uncached input, cached input and output, reasoning not billed twice', () => {
    // prompt_tokens 1,000 of which 400 cached; completion_tokens 500 of which 200 reasoning.
    const c = costOf(price('gpt-4o'), usage({ inputTokens: 600, cachedInputTokens: 400, outputTokens: 500, reasoningTokens: 200 }));
    expect(c).toBe((600n * 2_500_000_000n + 400n * 1_250_000_000n + 500n * 10_000_000_000n) / 1_000_000n);
    expect(c).toBe(7_000_000n); // $0.0015 + $0.0005 + $0.005
  });

  it('prices Anthropic-style usage with cache reads and 5-minute and 1-hour writes', () => {
    const c = costOf(price('claude-sonnet-4-5'), usage({ inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 200, cacheWrite1hTokens: 10, outputTokens: 100 }));
    expect(c).toBe(50n * 3000n + 1000n * 300n + 200n * 3750n + 10n * 6000n + 100n * 15_000n);
  });

  it('prices OpenAI cache writes where the model bills them', () => {
    expect(costOf(price('gpt-6.1-terra'), usage({ cacheWrite5mTokens: 1000, cacheWrite1hTokens: 1000 }))).toBe(1000n * 1250n + 1000n * 2500n);
  });

  it('falls back to the input rate for rates a model does not publish', () => {
    const plain = custom({ input: '2', output: '8' });
    expect(fillRates(plain)).toEqual({ input: 2_000_000_000n, cachedInput: 2_000_000_000n, cacheWrite5m: 2_000_000_000n, cacheWrite1h: 2_000_000_000n, output: 8_000_000_000n });
    // A 1-hour write falls back to the 5-minute write when only that is published.
    expect(fillRates(custom({ input: '2', cacheWrite5m: '2.5', output: '8' })).cacheWrite1h).toBe(2_500_000_000n);
    expect(costOf(price('gpt-4-turbo'), usage({ cachedInputTokens: 10 }))).toBe(10n * 10_000n);
  });

  it('bills an embedding its input only', () => {
    expect(costOf(price('text-embedding-3-large'), usage({ inputTokens: 1000, outputTokens: 5 }))).toBe(1000n * 130n);
  });

  it('applies a long-context tier to every token once the prompt exceeds the threshold', () => {
    const pro = price('gemini-2.5-pro');
    expect(costOf(pro, usage({ inputTokens: 200_000, outputTokens: 1 }))).toBe(200_000n * 1250n + 10_000n);
    expect(costOf(pro, usage({ inputTokens: 200_001, outputTokens: 1 }))).toBe(200_001n * 2500n + 15_000n);
    // Cached and cache-write tokens count toward the threshold.
    const haiku = price('claude-haiku-5-5');
    expect(costOf(haiku, usage({ inputTokens: 100_000 }))).toBe(100_000n * 100n);
    expect(costOf(haiku, usage({ inputTokens: 90_000, cachedInputTokens: 5_000, cacheWrite5mTokens: 5_000, cacheWrite1hTokens: 1, outputTokens: 1000 }))).toBe(
      90_000n * 500n + 5_000n * 50n + 5_000n * 625n + 1n * 1000n + 1000n * 2500n,
    );
    const sol = price('gpt-6-sol');
    expect(costOf(sol, usage({ inputTokens: 272_001, outputTokens: 10 }))).toBe(272_001n * 4000n + 10n * 15_000n);
  });

  it('rounds fractional counts up, ignores negative ones and refuses non-numbers', () => {
    expect(costOf(price('gpt-4o'), usage({ inputTokens: 0.5 }))).toBe(2500n);
    expect(costOf(price('gpt-4o'), usage({ inputTokens: -5 }))).toBe(0n);
    expect(() => costOf(price('gpt-4o'), usage({ outputTokens: Number.NaN }))).toThrow(/outputTokens/);
  });
});

describe('settlementCost', () => {
  it('adds reported tool calls at their rates, undeclared kinds at the fallback, and fixed fees', () => {
    const p = price('gpt-4o-mini');
    const u = usage({ inputTokens: 100, outputTokens: 10, toolCalls: { web_search: 2, file_search: 1 } });
    expect(settlementCost(p, u, { web_search: 10_000_000n }, 30_000_000n, () => 2_500_000n)).toBe(costOf(p, u) + 20_000_000n + 2_500_000n + 30_000_000n);
    expect(settlementCost(p, { ...u, toolCalls: undefined }, {}, 0n, () => 1n)).toBe(costOf(p, u));
  });
});
