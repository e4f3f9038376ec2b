import type { CatalogEntryInput } from './catalog.schema.ts';

// The shipped catalog: USD per 1M tokens, standard tier, from each provider's published
// pricing (see docs/pricing.md for what was left out and why). Operators override or
// add entries with STIPEND_PRICING_FILE.
const OPENAI = 'https://openai.com/api/pricing/';
const ANTHROPIC = 'https://www.anthropic.com/pricing#api';
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing';
const CHECKED = '2026-11-22';

const openai = (model: string, input: string, cachedInput: string, output: string, maxOutputTokens: number, extra: Partial<CatalogEntryInput> = {}): CatalogEntryInput => ({
  provider: 'openai', model, input, cachedInput, output, maxOutputTokens, source: OPENAI, checkedOn: CHECKED, ...extra,
});

// Anthropic: cache reads at 0.1×, 5-minute writes at 1.25×, 1-hour writes at 2× the input rate.
const anthropic = (model: string, input: string, read: string, w5m: string, w1h: string, output: string, maxOutputTokens: number, aliases: string[] = []): CatalogEntryInput => ({
  provider: 'anthropic', model, aliases, input, cachedInput: read, cacheWrite5m: w5m, cacheWrite1h: w1h, output, maxOutputTokens, source: ANTHROPIC, checkedOn: CHECKED,
});

const google = (model: string, input: string, cachedInput: string, output: string, maxOutputTokens: number, extra: Partial<CatalogEntryInput> = {}): CatalogEntryInput => ({
  provider: 'google', model, input, cachedInput, output, maxOutputTokens, source: GOOGLE, checkedOn: CHECKED, ...extra,
});

// gpt-5.4 and later bill a whole request at 2× input and 1.5× output above 272K prompt tokens.
const over272k = (input: string, cachedInput: string, output: string) => ({ longContext: { aboveInputTokens: 272_000, input, cachedInput, output } });

export const SHIPPED_CATALOG: readonly CatalogEntryInput[] = [
  openai('gpt-4o', '2.50', '1.25', '10.00', 16_384, { aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20', 'chatgpt-4o-latest'] }),
  openai('gpt-4o-mini', '0.15', '0.075', '0.60', 16_384, { aliases: ['gpt-4o-mini-2024-07-18'] }),
  openai('gpt-4.1', '2.00', '0.50', '8.00', 32_768, { aliases: ['gpt-4.1-2025-04-14'] }),
  openai('gpt-4.1-mini', '0.40', '0.10', '1.60', 32_768),
  openai('gpt-4.1-nano', '0.10', '0.025', '0.40', 32_768),
  openai('o1', '15.00', '7.50', '60.00', 100_000),
  openai('o3', '2.00', '0.50', '8.00', 100_000),
  openai('o3-mini', '1.10', '0.55', '4.40', 100_000),
  openai('o4-mini', '1.10', '0.275', '4.40', 100_000),
  openai('gpt-5', '1.25', '0.125', '10.00', 128_000),
  openai('gpt-5.1', '1.25', '0.125', '10.00', 128_000),
  openai('gpt-5-mini', '0.25', '0.025', '2.00', 128_000),
  openai('gpt-5-nano', '0.05', '0.005', '0.40', 128_000),
  openai('gpt-5.2', '1.75', '0.175', '14.00', 128_000),
  openai('gpt-5.4', '2.50', '0.25', '15.00', 128_000, over272k('5.00', '0.50', '22.50')),
  openai('gpt-5.4-mini', '0.75', '0.075', '4.50', 128_000, over272k('1.50', '0.15', '6.75')),
  openai('gpt-5.4-nano', '0.20', '0.02', '1.25', 128_000, over272k('0.40', '0.04', '1.875')),
  openai('gpt-5.5', '5.00', '0.50', '30.00', 128_000, over272k('10.00', '1.00', '45.00')),
  openai('gpt-5.5-pro', '30.00', '3.00', '180.00', 128_000, over272k('60.00', '6.00', '270.00')),
  // From gpt-5.6 on, cache writes are billed (1.25× input).
  openai('gpt-5.6-terra', '2.00', '0.20', '12.00', 128_000, { cacheWrite5m: '2.50', ...over272k('4.00', '0.40', '18.00') }),
  openai('gpt-5.6-luna', '0.20', '0.02', '1.20', 128_000, { cacheWrite5m: '0.25', ...over272k('0.40', '0.04', '1.80') }),
  { provider: 'openai', model: 'text-embedding-3-small', kind: 'embedding', input: '0.02', maxOutputTokens: 0, source: OPENAI, checkedOn: CHECKED },
  { provider: 'openai', model: 'text-embedding-3-large', kind: 'embedding', input: '0.13', maxOutputTokens: 0, source: OPENAI, checkedOn: CHECKED },

  anthropic('claude-haiku-4-5', '1.00', '0.10', '1.25', '2.00', '5.00', 64_000, ['claude-haiku-4-5-20251001']),
  anthropic('claude-sonnet-4-5', '3.00', '0.30', '3.75', '6.00', '15.00', 64_000, ['claude-sonnet-4-5-20250929']),
  // Sources disagree on Sonnet 4.6's output cap (64K / 128K): the larger keeps the reservation an upper bound.
  anthropic('claude-sonnet-4-6', '3.00', '0.30', '3.75', '6.00', '15.00', 128_000),
  anthropic('claude-opus-4-5', '5.00', '0.50', '6.25', '10.00', '25.00', 64_000, ['claude-opus-4-5-20251101']),
  anthropic('claude-opus-4-6', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-4-7', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-4-8', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-5', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-5-5', '4.00', '0.20', '5.00', '8.00', '20.00', 128_000),
  anthropic('claude-sonnet-5', '2.00', '0.20', '2.50', '4.00', '10.00', 128_000),
  anthropic('claude-sonnet-5-5', '2.00', '0.10', '2.50', '4.00', '10.00', 128_000),
  {
    ...anthropic('claude-haiku-5-5', '0.10', '0.01', '0.125', '0.20', '0.50', 128_000),
    // Haiku 5.5's higher tier applies to every token of a request whose prompt exceeds 100K.
    longContext: { aboveInputTokens: 100_000, input: '0.50', cachedInput: '0.05', cacheWrite5m: '0.625', cacheWrite1h: '1.00', output: '2.50' },
  },

  google('gemini-2.5-pro', '1.25', '0.125', '10.00', 65_535, { longContext: { aboveInputTokens: 200_000, input: '2.50', cachedInput: '0.25', output: '15.00' } }),
  google('gemini-2.5-flash', '0.30', '0.03', '2.50', 65_535),
  google('gemini-2.5-flash-lite', '0.10', '0.01', '0.40', 65_535),
  google('gemini-3.1-pro-preview', '2.00', '0.20', '12.00', 65_536, { longContext: { aboveInputTokens: 200_000, input: '4.00', cachedInput: '0.40', output: '18.00' } }),
  google('gemini-3-flash-preview', '0.50', '0.05', '3.00', 65_535),
  google('gemini-3.1-flash-lite', '0.25', '0.025', '1.50', 65_536),
  google('gemini-3.5-flash', '1.50', '0.15', '9.00', 65_535),
];
