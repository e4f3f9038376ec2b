import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './catalog.ts';
import { worstCaseCost } from './estimate.ts';
import { boundInputTokens, worstCaseWithTools } from './request-bound.ts';

const price = (model: string) => defaultCatalog().resolve(model)!.price!;

describe('boundInputTokens', () => {
  it("caps a body's bound at the context window: a prompt above it is refused unbilled", () => {
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: false, serverToolCalls: 0 }, 128_000)).toEqual({ ok: true, tokens: 5_000 });
    expect(boundInputTokens({ bodyTokens: 900_000, readsOutsideBody: false, serverToolCalls: 0 }, 128_000)).toEqual({ ok: true, tokens: 128_000 });
  });

  it('bounds input outside the body by the window, and each server tool call by one more window', () => {
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: true, serverToolCalls: 0 }, 128_000)).toEqual({ ok: true, tokens: 128_000 });
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: false, serverToolCalls: 3 }, 128_000)).toEqual({ ok: true, tokens: 5_000 + 3 * 128_000 });
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: true, serverToolCalls: 2 }, 200_000)).toEqual({ ok: true, tokens: 600_000 });
  });

  it('without a known window, bounds only what the body carries', () => {
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: false, serverToolCalls: 0 }, undefined)).toEqual({ ok: true, tokens: 5_000 });
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: true, serverToolCalls: 0 }, undefined).ok).toBe(false);
    expect(boundInputTokens({ bodyTokens: 5_000, readsOutsideBody: false, serverToolCalls: 1 }, undefined).ok).toBe(false);
  });
});

describe('worstCaseWithTools', () => {
  it('adds the most the tool fees can add to the token worst case', () => {
    const p = price('gpt-4o-mini');
    expect(worstCaseWithTools(p, 1_000, 100, 0n)).toBe(worstCaseCost(p, 1_000, 100));
    expect(worstCaseWithTools(p, 1_000, 100, 50_000_000n)).toBe(worstCaseCost(p, 1_000, 100) + 50_000_000n);
  });

  it('prices a window-sized bound at the long-context tier the window reaches', () => {
    const p = price('gpt-5.4'); // 2× input above 272K; window 1.05M
    const window = p.contextWindow!;
    expect(worstCaseWithTools(p, window, 0, 0n)).toBe(BigInt(window) * 5_000n); // $5/M = 5,000 nanos a token
  });
});
