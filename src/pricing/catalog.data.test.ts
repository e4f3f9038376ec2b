import { describe, expect, it } from 'vitest';
import { SHIPPED_CATALOG } from './catalog.data.ts';
import { CONTEXT_WINDOWS } from './context-windows.data.ts';
import { parseCatalogEntries } from './catalog.ts';
import { fillRates } from './cost.ts';

const entries = parseCatalogEntries(SHIPPED_CATALOG);
const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

describe('the shipped catalog', () => {
  it('covers the three providers', () => {
    expect(entries.length).toBeGreaterThanOrEqual(50);
    for (const provider of ['openai', 'anthropic', 'google']) expect(entries.some((e) => e.provider === provider)).toBe(true);
  });

  it('carries a source and a check date on every entry, and no negative price', () => {
    for (const e of entries) {
      expect(e.source, e.model).toMatch(/^https:\/\/(developers\.openai\.com|platform\.claude\.com|ai\.google\.dev)\//);
      expect(e.checkedOn, e.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const tier of [e, ...(e.longContext ? [e.longContext] : [])]) {
        for (const rate of Object.values(fillRates(tier))) expect(rate, e.model).toBeGreaterThanOrEqual(0n);
      }
    }
  });

  it('has rates in a sane order: cache reads at most input, cache writes at least input, tiers dearer', () => {
    for (const e of entries) {
      for (const tier of [e, ...(e.longContext ? [e.longContext] : [])]) {
        if (tier.cachedInput !== undefined) expect(tier.cachedInput, e.model).toBeLessThanOrEqual(tier.input);
        if (tier.cacheWrite5m !== undefined) expect(tier.cacheWrite5m, e.model).toBeGreaterThanOrEqual(tier.input);
        if (tier.cacheWrite1h !== undefined) expect(tier.cacheWrite1h, e.model).toBeGreaterThanOrEqual(tier.cacheWrite5m ?? tier.input);
      }
      if (e.longContext) {
        const [base, long] = [fillRates(e), fillRates(e.longContext)];
        for (const k of ['input', 'cachedInput', 'cacheWrite5m', 'cacheWrite1h', 'output'] as const) expect(long[k], `${e.model} ${k}`).toBeGreaterThanOrEqual(base[k]);
      }
    }
  });

  it('writes OpenAI’s 272K tier as 2× input and cache, 1.5× output', () => {
    const openai272 = entries.filter((e) => e.provider === 'openai' && e.longContext?.aboveInputTokens === 272_000);
    expect(openai272.length).toBeGreaterThanOrEqual(10);
    for (const e of openai272) {
      const long = e.longContext!;
      expect(long.input, e.model).toBe(e.input * 2n);
      expect(long.cachedInput, e.model).toBe(e.cachedInput! * 2n);
      if (e.cacheWrite5m !== undefined) expect(long.cacheWrite5m, e.model).toBe(e.cacheWrite5m * 2n);
      if (e.cacheWrite1h !== undefined) expect(long.cacheWrite1h, e.model).toBe(e.cacheWrite1h * 2n);
      expect(long.output! * 2n, e.model).toBe(e.output! * 3n);
    }
  });

  it('gives every name one meaning', () => {
    const names = entries.flatMap((e) => [e.model, ...e.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists dated aliases under the model their date strips to', () => {
    for (const e of entries) for (const alias of e.aliases.filter((a) => DATED.test(a))) expect(alias.replace(DATED, ''), alias).toBe(e.model);
  });

  it('gives embeddings no output and chat models an output cap', () => {
    for (const e of entries) {
      if (e.kind === 'embedding') expect([e.output, e.maxOutputTokens]).toEqual([undefined, 0]);
      else expect(e.maxOutputTokens, e.model).toBeGreaterThan(0);
    }
  });

  it('gives every chat model a context window with its source, at least its output cap', () => {
    for (const e of entries.filter((x) => x.kind === 'chat')) {
      expect(e.contextWindow, e.model).toBeGreaterThanOrEqual(e.maxOutputTokens);
      expect(e.contextWindowSource, e.model).toMatch(/^https:\/\//);
    }
    // Every window names a shipped model: no figure is left behind by a rename.
    const models = new Set(entries.map((e) => e.model));
    for (const model of Object.keys(CONTEXT_WINDOWS)) expect(models.has(model), model).toBe(true);
  });

  it('carries the opt-in larger window where clients can ask for it (Sonnet 4.5, 1M beta)', () => {
    const sonnet = entries.find((e) => e.model === 'claude-sonnet-4-5')!;
    expect(sonnet.contextWindow).toBe(1_000_000);
    // Its long-context tier starts inside the window, so a window-sized bound prices at that tier.
    expect(sonnet.longContext!.aboveInputTokens).toBeLessThan(sonnet.contextWindow!);
  });
});
