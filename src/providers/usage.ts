/**
 * Normalized usage. Structurally identical to `Usage` in src/pricing/cost.ts, so either
 * can be used: parts never overlap, each is priced once at its own rate. Providers'
 * own fields overlap in provider-specific ways; the readers in this folder split them.
 */
export interface Usage {
  readonly inputTokens: number; // uncached input
  readonly cachedInputTokens: number; // cache reads
  readonly cacheWrite5mTokens: number; // short-lived cache writes (Anthropic 5 min, OpenAI 30 min)
  readonly cacheWrite1hTokens: number; // long-lived cache writes (Anthropic 1 h, OpenAI 12 h)
  readonly outputTokens: number; // includes reasoning
  readonly reasoningTokens: number; // informational subset of output, not billed again
  /** Server-side tool calls the provider reports (web searches, file searches, containers), by kind. */
  readonly toolCalls?: Readonly<Record<string, number>>;
}

export const zeroUsage: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export interface CacheWrites {
  readonly shortLived: number;
  readonly longLived: number;
}

/**
 * Splits a cache-write total by lifetime. Writes whose lifetime is not broken down
 * count as short-lived (the default TTL at both providers); a breakdown without a
 * total is summed.
 */
export function splitCacheWrites(total: number | null | undefined, shortLived: number | null | undefined, longLived: number | null | undefined): CacheWrites {
  const all = total ?? (shortLived ?? 0) + (longLived ?? 0);
  const long = Math.min(longLived ?? 0, all);
  return { shortLived: all - long, longLived: long };
}
