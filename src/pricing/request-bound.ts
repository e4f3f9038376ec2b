import type { PricedModel } from './catalog.schema.ts';
import { worstCaseCost } from './estimate.ts';

/** What a request can make the provider read and run, as far as its body tells. */
export interface InputReach {
  /** The body's own bound: bytes, images and overhead (`inputTokenBound`). */
  readonly bodyTokens: number;
  /** The provider reads input the body does not carry (a previous response, a file, a URL). */
  readonly readsOutsideBody: boolean;
  /** Most server-side tool calls the request allows: each is followed by one more model pass. */
  readonly serverToolCalls: number;
}

export type InputBound = { readonly ok: true; readonly tokens: number } | { readonly ok: false; readonly reason: string };

/**
 * An upper bound of the input tokens the provider bills for one request.
 * - The first model pass reads at most the context window: a prompt above it is refused
 *   by the provider, unbilled, so capping the body's bound at the window is safe. Input
 *   outside the body is bounded by the window alone.
 * - Each server-side tool call (web search, file search, code run) is followed by another
 *   pass that re-reads the conversation plus the tool's result: at most one window more.
 * Without a known window, only a body-only request without server-side tools is bounded.
 */
export function boundInputTokens(reach: InputReach, contextWindow: number | undefined): InputBound {
  if (contextWindow === undefined) {
    if (reach.readsOutsideBody || reach.serverToolCalls > 0) return { ok: false, reason: 'its context window is not in the catalog' };
    return { ok: true, tokens: reach.bodyTokens };
  }
  const first = reach.readsOutsideBody ? contextWindow : Math.min(reach.bodyTokens, contextWindow);
  return { ok: true, tokens: first + reach.serverToolCalls * contextWindow };
}

/** The reservation: tokens at their dearest rates plus the most the tool fees can add. */
export function worstCaseWithTools(price: PricedModel, inputTokens: number, outputTokens: number, toolFeesNanos: bigint): bigint {
  return worstCaseCost(price, inputTokens, outputTokens) + toolFeesNanos;
}
