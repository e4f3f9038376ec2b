import type { PricedModel } from './catalog.schema.ts';
import { ratesFor } from './cost.ts';
import { ceilDiv } from './money.ts';

/**
 * Upper bound of one image's input tokens. Anthropic caps an image at about 1,600
 * tokens (1.15 megapixels / 750); OpenAI's high-detail tiling tops out near 1,105 for
 * gpt-4o (85 + 170 × 6 tiles), more for some models. 2,000 covers both.
 */
export const TOKENS_PER_IMAGE_BOUND = 2_000;

/** A BPE token always covers at least one byte of UTF-8 text: the body's bytes bound its text tokens. */
export function inputTokenBound(bodyBytes: number, imageCount: number): number {
  return bodyBytes + imageCount * TOKENS_PER_IMAGE_BOUND;
}

/** The client's own cap when it sets one (the provider rejects more), else the model's. */
export function outputTokenCap(requested: number | undefined, modelMax: number): number {
  return requested ?? modelMax;
}

/** The most a request within these bounds can cost: every input token at the dearest input-side rate. */
export function worstCaseCost(price: PricedModel, inputTokens: number, outputTokens: number): bigint {
  const r = ratesFor(price, inputTokens);
  const dearestInput = [r.input, r.cachedInput, r.cacheWrite5m, r.cacheWrite1h].reduce((a, b) => (b > a ? b : a));
  return ceilDiv(BigInt(inputTokens) * dearestInput + BigInt(outputTokens) * r.output, 1_000_000n);
}
