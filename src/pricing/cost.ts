import type { PricedModel } from './catalog.schema.ts';
import { ceilDiv } from './money.ts';

/** Normalized usage: each part is priced once, at its own rate. */
export interface Usage {
  readonly inputTokens: number; // uncached input
  readonly cachedInputTokens: number; // cache reads
  readonly cacheWrite5mTokens: number;
  readonly cacheWrite1hTokens: number;
  readonly outputTokens: number; // includes reasoning
  readonly reasoningTokens: number; // informational subset of output, not billed again
}

export const zeroUsage: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 };

export interface Rates {
  readonly input: bigint;
  readonly cachedInput: bigint;
  readonly cacheWrite5m: bigint;
  readonly cacheWrite1h: bigint;
  readonly output: bigint;
}

const MILLION = 1_000_000n;

/** The rates that apply to a request with this many prompt tokens. Missing rates fall back to the input rate. */
export function ratesFor(price: PricedModel, promptTokens: number): Rates {
  const tier = price.longContext && promptTokens > price.longContext.aboveInputTokens ? price.longContext : price;
  return {
    input: tier.input,
    cachedInput: tier.cachedInput ?? tier.input,
    cacheWrite5m: tier.cacheWrite5m ?? tier.input,
    cacheWrite1h: tier.cacheWrite1h ?? tier.cacheWrite5m ?? tier.input,
    output: tier.output ?? 0n,
  };
}

/** Nano-dollars, rounded up once at the end: a request never costs less than its tokens. */
export function costOf(price: PricedModel, usage: Usage): bigint {
  const prompt = usage.inputTokens + usage.cachedInputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
  const r = ratesFor(price, prompt);
  const perMillion =
    BigInt(usage.inputTokens) * r.input +
    BigInt(usage.cachedInputTokens) * r.cachedInput +
    BigInt(usage.cacheWrite5mTokens) * r.cacheWrite5m +
    BigInt(usage.cacheWrite1hTokens) * r.cacheWrite1h +
    BigInt(usage.outputTokens) * r.output;
  return ceilDiv(perMillion, MILLION);
}
