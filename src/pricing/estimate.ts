import type { PricedModel } from './catalog.schema.ts';
import { fillRates, TOKENS_PER_PRICE_UNIT, type Rates } from './cost.ts';
import { ceilDiv } from './money.ts';

/**
 * Upper bound of one image's input tokens, for images the body does not carry inline
 * (a URL or file id costs a few bytes but a full image of tokens). The largest
 * published charges per image:
 * - OpenAI, `detail: "original"` (GPT-5.4 and later): up to 10,000 32-px patches times
 *   the model's multiplier; a 12 MP photo is ~14,400 tokens on GPT-6 Astra. Patch-based
 *   small models: 1,536 patches × up to 2.46 = 3,779. Tile-based GPT-4o: at most 1,445.
 * - Anthropic: width × height / 750 after resizing, ~1,600 for Claude 4.x and ~4,000 for
 *   a 12 MP photo on the Claude 5.5 models.
 * - Gemini: ~1,100 per image.
 * 20,000 covers all of them with margin; see docs/pricing.md for the sources.
 */
export const TOKENS_PER_IMAGE_BOUND = 20_000;

/**
 * Tokens a provider adds that the body does not spell out: chat-template tokens per
 * message and the hidden system prompt for tool use (Anthropic: ~350 tokens, up to
 * ~1,200 with the computer-use tool). The body's JSON syntax bytes already exceed the
 * per-message tokens; this covers the fixed part.
 */
export const REQUEST_OVERHEAD_TOKENS = 2_048;

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * An upper bound of a request's input tokens. A BPE token always covers at least one
 * byte of UTF-8 text, so the body's byte length bounds its text tokens (English prose
 * runs ~4 bytes a token); each image adds at most TOKENS_PER_IMAGE_BOUND.
 */
export function inputTokenBound(bodyBytes: number, imageCount: number): number {
  return count(bodyBytes, 'bodyBytes') + count(imageCount, 'imageCount') * TOKENS_PER_IMAGE_BOUND + REQUEST_OVERHEAD_TOKENS;
}

/** The client's own cap when it sets one (the provider stops there), never more than the model's. */
export function outputTokenCap(requested: number | undefined, modelMax: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return modelMax;
  return Math.max(0, Math.min(Math.ceil(requested), modelMax));
}

const max = (...values: bigint[]): bigint => values.reduce((a, b) => (b > a ? b : a));
const dearestInputSide = (r: Rates): bigint => max(r.input, r.cachedInput, r.cacheWrite5m, r.cacheWrite1h);

/**
 * The most a request within these bounds can cost, rounded up: every input token at the
 * dearest input-side rate that could apply (plain input, cache writes, and the
 * long-context tier when the bound exceeds its threshold), every output token at the
 * dearest output rate. No usage within the bounds costs more (see estimate.test.ts).
 */
export function worstCaseCost(price: PricedModel, inputTokenBound: number, outputTokenCap: number): bigint {
  const tiers = [fillRates(price)];
  if (price.longContext && inputTokenBound > price.longContext.aboveInputTokens) tiers.push(fillRates(price.longContext));
  const inputRate = max(...tiers.map(dearestInputSide));
  const outputRate = max(...tiers.map((r) => r.output));
  const perMillion = BigInt(count(inputTokenBound, 'inputTokenBound')) * inputRate + BigInt(count(outputTokenCap, 'outputTokenCap')) * outputRate;
  return ceilDiv(perMillion, TOKENS_PER_PRICE_UNIT);
}
