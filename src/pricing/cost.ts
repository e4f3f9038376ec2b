import type { PricedModel, RateTier } from './catalog.schema.ts';
import { ceilDiv } from './money.ts';
import { toolCallsCost, type ToolCallKind, type ToolCalls, type ToolFeeRates } from './tool-fees.ts';

/**
 * The project's normalized usage: each part is priced once, at its own rate, so no
 * token appears in two parts (providers' own fields overlap; the readers in
 * src/providers split them).
 */
export interface Usage {
  readonly inputTokens: number; // uncached input, billed at the input rate
  readonly cachedInputTokens: number; // cache reads
  readonly cacheWrite5mTokens: number; // short-lived cache writes (Anthropic 5 min, OpenAI 30 min)
  readonly cacheWrite1hTokens: number; // long-lived cache writes (Anthropic 1 h, OpenAI 12 h)
  readonly outputTokens: number; // includes reasoning
  readonly reasoningTokens: number; // informational subset of output, NOT billed again
  readonly toolCalls?: ToolCalls; // server-side tool calls, billed per call (tool-fees.ts)
}

export const zeroUsage: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/** Rates in nano-dollars per 1M tokens, with every fallback resolved. */
export interface Rates {
  readonly input: bigint;
  readonly cachedInput: bigint;
  readonly cacheWrite5m: bigint;
  readonly cacheWrite1h: bigint;
  readonly output: bigint;
}

export const TOKENS_PER_PRICE_UNIT = 1_000_000n; // prices are per 1M tokens

/**
 * Fills the rates a provider does not publish. A missing cache-read or cache-write
 * rate is billed at the input rate (a provider that does not discount or surcharge
 * caching bills those tokens as plain input); a missing 1-hour write falls back to the
 * 5-minute write first, the closest published rate. A missing output rate is 0: only
 * embeddings lack one, and they produce no output tokens.
 */
export function fillRates(tier: RateTier): Rates {
  const cacheWrite5m = tier.cacheWrite5m ?? tier.input;
  return {
    input: tier.input,
    cachedInput: tier.cachedInput ?? tier.input,
    cacheWrite5m,
    cacheWrite1h: tier.cacheWrite1h ?? cacheWrite5m,
    output: tier.output ?? 0n,
  };
}

/** Tokens on the prompt side: everything the long-context threshold counts. */
export function promptTokens(usage: Usage): number {
  return usage.inputTokens + usage.cachedInputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
}

/** The rates for a request with this many prompt tokens: the long-context tier bills every token above its threshold. */
export function ratesFor(price: PricedModel, prompt: number): Rates {
  const tier = price.longContext && prompt > price.longContext.aboveInputTokens ? price.longContext : price;
  return fillRates(tier);
}

/** Token counts come from providers: a fraction rounds up, a negative count is a bug we do not bill. */
function tokens(count: number, part: string): bigint {
  if (!Number.isFinite(count)) throw new RangeError(`usage ${part} is not a finite token count: ${count}`);
  return count <= 0 ? 0n : BigInt(Math.ceil(count));
}

/** Nano-dollars, rounded up once at the end: a request never costs less than its tokens. */
export function costOf(price: PricedModel, usage: Usage): bigint {
  const r = ratesFor(price, promptTokens(usage));
  const perMillion =
    tokens(usage.inputTokens, 'inputTokens') * r.input +
    tokens(usage.cachedInputTokens, 'cachedInputTokens') * r.cachedInput +
    tokens(usage.cacheWrite5mTokens, 'cacheWrite5mTokens') * r.cacheWrite5m +
    tokens(usage.cacheWrite1hTokens, 'cacheWrite1hTokens') * r.cacheWrite1h +
    tokens(usage.outputTokens, 'outputTokens') * r.output;
  return ceilDiv(perMillion, TOKENS_PER_PRICE_UNIT);
}

/**
 * What a settlement charges: the tokens, plus each server-side tool call the provider
 * reports at the request's per-call rate (a kind the request did not declare at
 * `fallback`, the provider's listed fee), plus fees due whatever the model did.
 */
export function settlementCost(price: PricedModel, usage: Usage, rates: ToolFeeRates, fixedFeesNanos: bigint, fallback: (kind: ToolCallKind) => bigint): bigint {
  return costOf(price, usage) + toolCallsCost(rates, usage.toolCalls, fallback) + fixedFeesNanos;
}
