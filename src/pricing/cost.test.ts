import { describe, expect, it } from 'vitest';
import { defaultCatalog, parseCatalogEntries } from './catalog.ts';
import { costOf, zeroUsage, type Usage } from './cost.ts';
import { inputTokenBound, outputTokenCap, worstCaseCost } from './estimate.ts';

const price = (m: string) => defaultCatalog().resolve(m)!.price!;
const usage = (u: Partial<Usage>): Usage => ({ ...zeroUsage, ...u });

describe('costOf', () => {
  it('rounds up to the next nano-dollar, once', () => {
    expect(costOf(price('gpt-4o-mini'), usage({ inputTokens: 1 }))).toBe(150n); // $0.15 / 1M
    expect(costOf(price('gpt-4o-mini'), usage({ cachedInputTokens: 1 }))).toBe(75n); // $0.075 / 1M
    expect(costOf(price('text-embedding-3-small'), usage({ inputTokens: 1 }))).toBe(20n);
    expect(costOf(price('gpt-5-nano'), usage({ cachedInputTokens: 3 }))).toBe(15n); // $0.005 / 1M
    // A contract price finer than a nano-dollar per token: 1 token at $0.0004/M is 0.4 nano → 1.
    const [tiny] = parseCatalogEntries([{ provider: 'openai', model: 'tiny', input: '0.0004', cachedInput: '0.0003', output: '0.0004', maxOutputTokens: 10, source: 'https://e.com', checkedOn: '2026-11-22' }]);
    expect(costOf(tiny!, usage({ inputTokens: 1 }))).toBe(1n);
    // Parts are summed before rounding: 0.4 + 0.3 → 1, not 2.
    expect(costOf(tiny!, usage({ inputTokens: 1, cachedInputTokens: 1 }))).toBe(1n);
    expect(costOf(tiny!, usage({ inputTokens: 3, cachedInputTokens: 1 }))).toBe(2n);
  });

  it('prices an OpenAI-style usage: uncached input, cached input and output each at their rate', () => {
    // prompt_tokens 1000 incl. 400 cached; completion 500 incl. 200 reasoning (not billed twice).
    const c = costOf(price('gpt-4o'), usage({ inputTokens: 600, cachedInputTokens: 400, outputTokens: 500, reasoningTokens: 200 }));
    expect(c).toBe(600n * 2500n + 400n * 1250n + 500n * 10000n);
  });

  it('prices an Anthropic-style usage with cache reads and writes', () => {
    const c = costOf(price('claude-sonnet-4-5'), usage({ inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 200, cacheWrite1hTokens: 10, outputTokens: 100 }));
    expect(c).toBe(50n * 3000n + 1000n * 300n + 200n * 3750n + 10n * 6000n + 100n * 15000n);
  });

  it('applies the long-context tier to every token of a long prompt', () => {
    const p = price('gemini-2.5-pro');
    expect(costOf(p, usage({ inputTokens: 200_000, outputTokens: 1 }))).toBe(200_000n * 1250n + 10_000n);
    expect(costOf(p, usage({ inputTokens: 200_001, outputTokens: 1 }))).toBe(200_001n * 2500n + 15_000n);
  });
});

describe('worst case', () => {
  it('bounds the cost of any usage within its input and output bounds', () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % (n + 1));
    for (const model of ['gpt-4o', 'claude-sonnet-4-5', 'claude-haiku-5-5', 'gemini-2.5-pro', 'gpt-5.6-terra', 'gpt-5.4']) {
      const p = price(model);
      for (let i = 0; i < 300; i++) {
        const bytes = rand(400_000);
        const cap = rand(p.maxOutputTokens);
        const input = rand(bytes);
        const split = [rand(input), 0, 0, 0];
        split[1] = rand(input - split[0]!);
        split[2] = rand(input - split[0]! - split[1]!);
        split[3] = input - split[0]! - split[1]! - split[2]!;
        const out = rand(cap);
        const actual = costOf(p, usage({ inputTokens: split[0], cachedInputTokens: split[1], cacheWrite5mTokens: split[2], cacheWrite1hTokens: split[3], outputTokens: out }));
        expect(actual).toBeLessThanOrEqual(worstCaseCost(p, inputTokenBound(bytes, 0), outputTokenCap(cap, p.maxOutputTokens)));
      }
    }
  });

  it("uses the client's cap, or the model's when absent, and bounds images", () => {
    expect(outputTokenCap(50, 16_384)).toBe(50);
    expect(outputTokenCap(undefined, 16_384)).toBe(16_384);
    expect(inputTokenBound(1000, 2)).toBe(5000);
    expect(worstCaseCost(price('gpt-4o-mini'), 100, 10)).toBe(100n * 150n + 10n * 600n);
  });
});
