// Per-person request and token rate limits from ModelPolicy.rateLimits. Counted per
// gateway replica in memory (a sliding window over two fixed minutes): with N replicas
// behind a round-robin Service a person gets up to N× the limit. Budgets, not these
// limits, are the hard money guarantee; see docs/decisions.md.

const MINUTE = 60_000;

interface Window {
  start: number;
  requests: number;
  tokens: number;
  previousRequests: number;
  previousTokens: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
  readonly reason: 'requests' | 'tokens' | null;
}

export interface RateLimiter {
  /** Counts the request if allowed. */
  admit(personId: bigint, limits: { readonly requestsPerMinute: number | null; readonly tokensPerMinute: number | null }, now?: number): RateLimitDecision;
  /** Adds tokens actually used, once known. */
  recordTokens(personId: bigint, tokens: number, now?: number): void;
}

export function createRateLimiter(): RateLimiter {
  const windows = new Map<bigint, Window>();

  const windowOf = (personId: bigint, now: number): Window => {
    const start = now - (now % MINUTE);
    let w = windows.get(personId);
    if (!w) {
      w = { start, requests: 0, tokens: 0, previousRequests: 0, previousTokens: 0 };
      windows.set(personId, w);
    } else if (w.start !== start) {
      const adjacent = w.start === start - MINUTE;
      w.previousRequests = adjacent ? w.requests : 0;
      w.previousTokens = adjacent ? w.tokens : 0;
      w.start = start;
      w.requests = 0;
      w.tokens = 0;
    }
    return w;
  };
  // The previous minute counts in proportion to how much of it the sliding window still covers.
  const weighted = (current: number, previous: number, w: Window, now: number) =>
    current + previous * (1 - (now - w.start) / MINUTE);

  return {
    admit(personId, limits, now = Date.now()) {
      if (limits.requestsPerMinute === null && limits.tokensPerMinute === null) return { allowed: true, retryAfterSeconds: 0, reason: null };
      const w = windowOf(personId, now);
      const retryAfterSeconds = Math.max(1, Math.ceil((w.start + MINUTE - now) / 1000));
      if (limits.requestsPerMinute !== null && weighted(w.requests, w.previousRequests, w, now) + 1 > limits.requestsPerMinute) {
        return { allowed: false, retryAfterSeconds, reason: 'requests' };
      }
      if (limits.tokensPerMinute !== null && weighted(w.tokens, w.previousTokens, w, now) >= limits.tokensPerMinute) {
        return { allowed: false, retryAfterSeconds, reason: 'tokens' };
      }
      w.requests++;
      return { allowed: true, retryAfterSeconds: 0, reason: null };
    },
    recordTokens(personId, tokens, now = Date.now()) {
      windowOf(personId, now).tokens += tokens;
    },
  };
}
