import type { CatalogEntryInput } from './catalog.schema.ts';
import { CONTEXT_WINDOWS } from './context-windows.data.ts';

// The shipped catalog: USD per 1M tokens, standard tier, each price read on the
// provider's own page (cross-checked against at least one other source), on CHECKED.
// What could not be confirmed is left out, so those models are unpriced and blocked:
// docs/pricing.md lists them with the reason. Operators override or add entries with
// STIPEND_PRICING_FILE.
const CHECKED = '2026-11-22';

const OPENAI_PRICING = 'https://developers.openai.com/api/docs/pricing';
const openaiModelPage = (id: string): string => `https://developers.openai.com/api/docs/models/${id}`;
const ANTHROPIC_PRICING = 'https://platform.claude.com/docs/en/about-claude/pricing';
const GOOGLE_PRICING = 'https://ai.google.dev/gemini-api/docs/pricing';

type Extra = Partial<Pick<CatalogEntryInput, 'aliases' | 'cacheWrite5m' | 'cacheWrite1h' | 'longContext' | 'source'>>;

const openai = (model: string, input: string, cachedInput: string | undefined, output: string, maxOutputTokens: number, extra: Extra = {}): CatalogEntryInput => ({
  provider: 'openai', model, input, cachedInput, output, maxOutputTokens, source: OPENAI_PRICING, checkedOn: CHECKED, ...extra,
});

/**
 * OpenAI from gpt-5.4 on: a request with more than 272K input tokens is billed in full
 * at 2× the input and cache rates and 1.5× the output rate. Written out rather than
 * computed so each number can be checked against the page (a test checks the ratios).
 */
const over272k = (input: string, cachedInput: string, output: string, cacheWrite5m?: string, cacheWrite1h?: string) => ({
  longContext: { aboveInputTokens: 272_000, input, cachedInput, output, cacheWrite5m, cacheWrite1h },
});

// Anthropic: 5-minute writes 1.25×, 1-hour writes 2× the input rate; reads vary by model.
const anthropic = (model: string, input: string, read: string, write5m: string, write1h: string, output: string, maxOutputTokens: number, extra: Extra = {}): CatalogEntryInput => ({
  provider: 'anthropic', model, input, cachedInput: read, cacheWrite5m: write5m, cacheWrite1h: write1h, output, maxOutputTokens, source: ANTHROPIC_PRICING, checkedOn: CHECKED, ...extra,
});

// Gemini: text/image/video input rates (audio input costs more; see docs/pricing.md).
const google = (model: string, input: string, cachedInput: string, output: string, maxOutputTokens: number, extra: Extra = {}): CatalogEntryInput => ({
  provider: 'google', model, input, cachedInput, output, maxOutputTokens, source: GOOGLE_PRICING, checkedOn: CHECKED, ...extra,
});

const over200k = (input: string, cachedInput: string, output: string) => ({ longContext: { aboveInputTokens: 200_000, input, cachedInput, output } });

const PRICED: readonly CatalogEntryInput[] = [
  // OpenAI, GPT-6 and GPT-5.6: cache writes are billed (30-minute retention; 12-hour where published).
  openai('gpt-6-astra', '10.00', '1.00', '50.00', 128_000, { cacheWrite5m: '12.50', ...over272k('20.00', '2.00', '75.00', '25.00'), source: openaiModelPage('gpt-6-astra') }),
  openai('gpt-6.1-sol', '2.00', '0.10', '10.00', 128_000, { aliases: ['gpt-6.1-sol-2026-09-29'], cacheWrite5m: '2.50', ...over272k('4.00', '0.20', '15.00', '5.00'), source: openaiModelPage('gpt-6.1-sol') }),
  openai('gpt-6.1-terra', '1.00', '0.05', '5.00', 128_000, { cacheWrite5m: '1.25', cacheWrite1h: '2.50', ...over272k('2.00', '0.10', '7.50', '2.50', '5.00'), source: openaiModelPage('gpt-6.1-terra') }),
  openai('gpt-6-sol', '2.00', '0.20', '10.00', 128_000, { cacheWrite5m: '2.50', ...over272k('4.00', '0.40', '15.00', '5.00'), source: openaiModelPage('gpt-6-sol') }),
  openai('gpt-6-luna', '0.10', '0.01', '0.50', 128_000, { cacheWrite5m: '0.125', ...over272k('0.20', '0.02', '0.75', '0.25'), source: openaiModelPage('gpt-6-luna') }),
  openai('gpt-5.6-terra', '2.00', '0.20', '12.00', 128_000, { cacheWrite5m: '2.50', ...over272k('4.00', '0.40', '18.00', '5.00'), source: openaiModelPage('gpt-5.6-terra') }),
  openai('gpt-5.6-luna', '0.20', '0.02', '1.20', 128_000, { cacheWrite5m: '0.25', ...over272k('0.40', '0.04', '1.80', '0.50'), source: openaiModelPage('gpt-5.6-luna') }),

  // OpenAI, GPT-5.x.
  openai('gpt-5.5', '5.00', '0.50', '30.00', 128_000, { aliases: ['gpt-5.5-2026-04-23'], ...over272k('10.00', '1.00', '45.00') }),
  openai('gpt-5.5-pro', '30.00', '3.00', '180.00', 128_000, { aliases: ['gpt-5.5-pro-2026-04-23'], ...over272k('60.00', '6.00', '270.00') }),
  openai('gpt-5.4', '2.50', '0.25', '15.00', 128_000, over272k('5.00', '0.50', '22.50')),
  openai('gpt-5.4-mini', '0.75', '0.075', '4.50', 128_000, { aliases: ['gpt-5.4-mini-2026-03-17'] }),
  openai('gpt-5.4-nano', '0.20', '0.02', '1.25', 128_000, { aliases: ['gpt-5.4-nano-2026-03-17'] }),
  openai('gpt-5.2', '1.75', '0.175', '14.00', 128_000, { aliases: ['gpt-5.2-2025-12-11'] }),
  openai('gpt-5.1', '1.25', '0.125', '10.00', 128_000, { aliases: ['gpt-5.1-2025-11-13'] }),
  openai('gpt-5', '1.25', '0.125', '10.00', 128_000, { aliases: ['gpt-5-2025-08-07'] }),
  openai('gpt-5-mini', '0.25', '0.025', '2.00', 128_000, { aliases: ['gpt-5-mini-2025-08-07'] }),
  openai('gpt-5-nano', '0.05', '0.005', '0.40', 128_000, { aliases: ['gpt-5-nano-2025-08-07'] }),

  // OpenAI, GPT-4.1, o-series, GPT-4o and older.
  openai('gpt-4.1', '2.00', '0.50', '8.00', 32_768, { aliases: ['gpt-4.1-2025-04-14'] }),
  openai('gpt-4.1-mini', '0.40', '0.10', '1.60', 32_768, { aliases: ['gpt-4.1-mini-2025-04-14'] }),
  openai('gpt-4.1-nano', '0.10', '0.025', '0.40', 32_768, { aliases: ['gpt-4.1-nano-2025-04-14'] }),
  openai('o4-mini', '1.10', '0.275', '4.40', 100_000, { aliases: ['o4-mini-2025-04-16'] }),
  openai('o3', '2.00', '0.50', '8.00', 100_000, { aliases: ['o3-2025-04-16'] }),
  openai('o3-mini', '1.10', '0.55', '4.40', 100_000, { aliases: ['o3-mini-2025-01-31'] }),
  openai('o1', '15.00', '7.50', '60.00', 100_000, { aliases: ['o1-2024-12-17'] }),
  openai('gpt-4o', '2.50', '1.25', '10.00', 16_384, { aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'] }),
  // The first GPT-4o snapshot kept its launch price: listed on its own so that stripping
  // the date does not bill it at gpt-4o's lower price.
  openai('gpt-4o-2024-05-13', '5.00', undefined, '15.00', 4_096),
  openai('gpt-4o-mini', '0.15', '0.075', '0.60', 16_384, { aliases: ['gpt-4o-mini-2024-07-18'] }),
  openai('gpt-4-turbo', '10.00', undefined, '30.00', 4_096, { aliases: ['gpt-4-turbo-2024-04-09'] }),
  openai('gpt-4', '30.00', undefined, '60.00', 8_192, { aliases: ['gpt-4-0613'] }),
  openai('gpt-3.5-turbo', '0.50', undefined, '1.50', 4_096, { aliases: ['gpt-3.5-turbo-0125'] }),
  { provider: 'openai', model: 'text-embedding-3-small', kind: 'embedding', input: '0.02', maxOutputTokens: 0, source: OPENAI_PRICING, checkedOn: CHECKED },
  { provider: 'openai', model: 'text-embedding-3-large', kind: 'embedding', input: '0.13', maxOutputTokens: 0, source: OPENAI_PRICING, checkedOn: CHECKED },

  // Anthropic. Fable 5.1/5.2 read the cache at 0.025× input, Opus/Sonnet 5.5 at 0.05×, the rest at 0.1×.
  anthropic('claude-fable-5-2', '8.00', '0.20', '10.00', '16.00', '40.00', 128_000),
  anthropic('claude-fable-5-1', '10.00', '0.25', '12.50', '20.00', '50.00', 128_000),
  anthropic('claude-mythos-5-1', '10.00', '0.25', '12.50', '20.00', '50.00', 128_000),
  anthropic('claude-fable-5', '10.00', '1.00', '12.50', '20.00', '50.00', 128_000),
  anthropic('claude-mythos-5', '10.00', '1.00', '12.50', '20.00', '50.00', 128_000),
  anthropic('claude-opus-5-5', '4.00', '0.20', '5.00', '8.00', '20.00', 128_000),
  // Cache reads cut from $0.20 to $0.10 on 2026-10-07.
  anthropic('claude-sonnet-5-5', '2.00', '0.10', '2.50', '4.00', '10.00', 128_000),
  // Haiku 5.5's higher tier applies to every token of a request whose prompt (input + cache reads + writes) exceeds 100K.
  anthropic('claude-haiku-5-5', '0.10', '0.01', '0.125', '0.20', '0.50', 128_000, {
    longContext: { aboveInputTokens: 100_000, input: '0.50', cachedInput: '0.05', cacheWrite5m: '0.625', cacheWrite1h: '1.00', output: '2.50' },
  }),
  anthropic('claude-opus-5', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-sonnet-5', '2.00', '0.20', '2.50', '4.00', '10.00', 128_000),
  anthropic('claude-opus-4-8', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-4-7', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  anthropic('claude-opus-4-6', '5.00', '0.50', '6.25', '10.00', '25.00', 128_000),
  // Sources disagree on Sonnet 4.6's output cap (64K / 128K): the larger keeps the reservation an upper bound.
  anthropic('claude-sonnet-4-6', '3.00', '0.30', '3.75', '6.00', '15.00', 128_000),
  anthropic('claude-opus-4-5', '5.00', '0.50', '6.25', '10.00', '25.00', 64_000, { aliases: ['claude-opus-4-5-20251101'] }),
  // Retires 2026-11-30. With the 1M-context beta, a prompt over 200K is billed in full at 2× input and cache, 1.5× output.
  anthropic('claude-sonnet-4-5', '3.00', '0.30', '3.75', '6.00', '15.00', 64_000, {
    aliases: ['claude-sonnet-4-5-20250929'],
    longContext: { aboveInputTokens: 200_000, input: '6.00', cachedInput: '0.60', cacheWrite5m: '7.50', cacheWrite1h: '12.00', output: '22.50' },
  }),
  anthropic('claude-haiku-4-5', '1.00', '0.10', '1.25', '2.00', '5.00', 64_000, { aliases: ['claude-haiku-4-5-20251001'] }),

  // Google Gemini (Developer API, paid tier). Output prices include thinking tokens.
  google('gemini-3.5-flash', '1.50', '0.15', '9.00', 65_536),
  google('gemini-3.1-pro-preview', '2.00', '0.20', '12.00', 65_536, over200k('4.00', '0.40', '18.00')),
  google('gemini-3-flash-preview', '0.50', '0.05', '3.00', 65_536),
  google('gemini-3.1-flash-lite', '0.25', '0.025', '1.50', 65_536, { aliases: ['gemini-3.1-flash-lite-preview'] }),
  google('gemini-2.5-pro', '1.25', '0.125', '10.00', 65_536, over200k('2.50', '0.25', '15.00')),
  google('gemini-2.5-flash', '0.30', '0.03', '2.50', 65_536),
  google('gemini-2.5-flash-lite', '0.10', '0.01', '0.40', 65_536),
];

/** The priced entries with their context windows (context-windows.data.ts). */
export const SHIPPED_CATALOG: readonly CatalogEntryInput[] = PRICED.map((e) => {
  const window = CONTEXT_WINDOWS[e.model];
  return window ? { ...e, contextWindow: window.tokens, contextWindowSource: window.source } : e;
});
