// How many tokens a request generates, decided before the first byte is sent.
import type { Directives } from './mock-directives.ts';

/** Hidden reasoning tokens a reasoning model reports per choice. */
export const REASONING_TOKENS = 8;

export interface OutputPlan {
  /** Visible content tokens per choice: one streamed chunk each. */
  readonly visible: number;
  /** Hidden reasoning tokens per choice, counted inside the output tokens. */
  readonly reasoning: number;
  /** The request's max tokens stopped the answer early. */
  readonly truncated: boolean;
}

/** o1, o3, o4-mini…, gpt-5*: models that report reasoning tokens. */
export const isReasoningModel = (model: string): boolean => /^(o\d|gpt-5)/.test(model);

const asCap = (value: unknown): number | undefined => (typeof value === 'number' && value >= 0 ? Math.floor(value) : undefined);

/**
 * The answer's length. The cap (max_tokens & co.) bounds reasoning + visible tokens
 * as it does at the real APIs: reasoning is spent first, then visible text.
 */
export function planOutput(model: string, cap: unknown, directives: Directives, defaultTokens: number): OutputPlan {
  const limit = asCap(cap);
  const reasoning = isReasoningModel(model) ? Math.min(REASONING_TOKENS, limit ?? REASONING_TOKENS) : 0;
  const room = limit === undefined ? Number.POSITIVE_INFINITY : limit - reasoning;
  const wanted = directives.tokens ?? defaultTokens;
  return { visible: Math.min(wanted, room), reasoning, truncated: wanted > room };
}

/** Content chunks to send before cutting the stream (undefined: no cut). */
export const dropPoint = (directives: Directives, chunks: number): number | undefined =>
  directives.dropAfter === undefined ? undefined : Math.min(directives.dropAfter, chunks);
