import { describe, expect, it } from 'vitest';
import { defaultCatalog, parseCatalogEntries } from './catalog.ts';
import { costOf, zeroUsage, type Usage } from './cost.ts';
import { inputTokenBound, outputTokenCap, REQUEST_OVERHEAD_TOKENS, TOKENS_PER_IMAGE_BOUND, worstCaseCost } from './estimate.ts';

const price = (model: string) => defaultCatalog().resolve(model)!.price!;

// A small deterministic generator: the same "random" usages on every run.
function random(seed: number): (max: number) => number {
  let state = seed;
  return (max) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return max <= 0 ? 0 : Math.floor((state / 2 ** 31) * (max + 1));
  };
}

/** A usage whose prompt parts sum to at most `input` tokens and whose output is at most `output`. */
function usageWithin(rand: (max: number) => number, input: number, output: number): Usage {
  const total = rand(input);
  const parts = [rand(total), 0, 0, 0];
  parts[1] = rand(total - parts[0]!);
  parts[2] = rand(total - parts[0]! - parts[1]!);
  parts[3] = total - parts[0]! - parts[1]! - parts[2]!;
  const out = rand(output);
  return { inputTokens: parts[0]!, cachedInputTokens: parts[1]!, cacheWrite5mTokens: parts[2]!, cacheWrite1hTokens: parts[3]!, outputTokens: out, reasoningTokens: rand(out) };
}

describe('worstCaseCost', () => {
  it('is at least the cost of any usage within its bounds, for every shipped model', () => {
    const rand = random(42);
    for (const p of defaultCatalog().list()) {
      for (let i = 0; i < 200; i++) {
        // Bounds on both sides of the long-context thresholds (100K, 200K, 272K).
        const bound = rand(i % 2 === 0 ? 400_000 : 5_000);
        const cap = outputTokenCap(rand(p.maxOutputTokens + 10), p.maxOutputTokens);
        const worst = worstCaseCost(p, bound, cap);
        for (const u of [usageWithin(rand, bound, cap), { ...zeroUsage, inputTokens: bound, outputTokens: cap }, { ...zeroUsage, cacheWrite1hTokens: bound, outputTokens: cap }]) {
          expect(costOf(p, u), `${p.model} ${JSON.stringify(u)}`).toBeLessThanOrEqual(worst);
        }
      }
    }
  });

  it('is an upper bound even for an override whose tier is cheaper or partial', () => {
    const [odd] = parseCatalogEntries([
      {
        provider: 'openai', model: 'odd', input: '1', cachedInput: '3', cacheWrite5m: '0.5', output: '10', maxOutputTokens: 1000,
        longContext: { aboveInputTokens: 100, input: '0.5', cacheWrite1h: '7', output: '20' },
        source: 'https://e.com', checkedOn: '2026-11-22',
      },
    ]);
    const rand = random(7);
    for (let i = 0; i < 2000; i++) {
      const bound = rand(300);
      const cap = rand(1000);
      expect(costOf(odd!, usageWithin(rand, bound, cap))).toBeLessThanOrEqual(worstCaseCost(odd!, bound, cap));
    }
  });

  it('charges every input token at the dearest input-side rate, output at the output rate, rounded up', () => {
    expect(worstCaseCost(price('gpt-4o-mini'), 100, 10)).toBe(100n * 150n + 10n * 600n);
    expect(worstCaseCost(price('claude-opus-4-8'), 1000, 100)).toBe(1000n * 10_000n + 100n * 25_000n); // 1-hour writes: 2× input
    expect(worstCaseCost(price('gpt-6-astra'), 1000, 0)).toBe(1000n * 12_500n); // cache writes: 1.25× input
    const [tiny] = parseCatalogEntries([{ provider: 'openai', model: 't', input: '0.0001', output: '0.0001', maxOutputTokens: 1, source: 'https://e.com', checkedOn: '2026-11-22' }]);
    expect(worstCaseCost(tiny!, 1, 1)).toBe(1n); // 0.2 nano → 1
  });

  it('uses the long-context tier only when the bound exceeds its threshold', () => {
    const pro = price('gemini-2.5-pro');
    expect(worstCaseCost(pro, 200_000, 1)).toBe(200_000n * 1250n + 10_000n);
    expect(worstCaseCost(pro, 200_001, 1)).toBe(200_001n * 2500n + 15_000n);
  });

  it('prices embeddings on input alone', () => {
    expect(worstCaseCost(price('text-embedding-3-small'), 1000, outputTokenCap(undefined, 0))).toBe(1000n * 20n);
  });

  it('refuses bounds that are not token counts', () => {
    expect(() => worstCaseCost(price('gpt-4o'), -1, 0)).toThrow(RangeError);
    expect(() => worstCaseCost(price('gpt-4o'), 1, 1.5)).toThrow(RangeError);
  });
});

describe('inputTokenBound', () => {
  it('counts a token per body byte, a bound per image, and the fixed overhead', () => {
    expect(inputTokenBound(0, 0)).toBe(REQUEST_OVERHEAD_TOKENS);
    expect(inputTokenBound(1000, 2)).toBe(1000 + 2 * TOKENS_PER_IMAGE_BOUND + REQUEST_OVERHEAD_TOKENS);
    expect(TOKENS_PER_IMAGE_BOUND).toBeGreaterThanOrEqual(14_364); // a 12 MP photo on GPT-6 Astra, the largest published case
  });

  it('bounds the tokens of any UTF-8 text: each token covers at least one byte', () => {
    for (const text of ['hello world', 'ünïcödé ✓', '漢字かな交じり文', '🙂🙃'.repeat(10)]) {
      expect(inputTokenBound(Buffer.byteLength(text), 0)).toBeGreaterThanOrEqual([...text].length);
    }
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => inputTokenBound(-1, 0)).toThrow(RangeError);
    expect(() => inputTokenBound(10, 0.5)).toThrow(RangeError);
  });
});

describe('outputTokenCap', () => {
  it("takes the client's cap, never above the model's, and the model's when absent", () => {
    expect(outputTokenCap(50, 16_384)).toBe(50);
    expect(outputTokenCap(100_000, 16_384)).toBe(16_384);
    expect(outputTokenCap(undefined, 16_384)).toBe(16_384);
    expect(outputTokenCap(0, 16_384)).toBe(0);
    expect(outputTokenCap(-3, 16_384)).toBe(0);
    expect(outputTokenCap(10.2, 16_384)).toBe(11);
    expect(outputTokenCap(Number.NaN, 16_384)).toBe(16_384);
  });
});
