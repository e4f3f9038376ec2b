// Per-person request and token rate limits from ModelPolicy.rateLimits. The counting is
// Postgres's, shared by every replica (stipend_reserve_rated, in the reservation's own round
// trip; docs/decisions.md "Rate limits"). What a replica keeps is a cache of Postgres's
// refusals: while a refusal's retry time has not come, the same person is refused again
// without a round trip, which is what keeps a runaway script from loading the database.
// The cache never admits anything by itself, and its retry time is the earliest moment
// Postgres could admit, so it refuses nothing Postgres would have let through.
import type { RateRefusal } from '../ledger/reserve.ts';
import { GatewayError } from './errors.ts';

export interface RateLimits {
  readonly requestsPerMinute: number | null;
  readonly tokensPerMinute: number | null;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
  readonly reason: 'requests' | 'tokens' | null;
}

export interface RateLimiter {
  /** Refuses while an earlier refusal from Postgres for the same limits still holds; otherwise lets the request go on to Postgres. */
  admit(personId: bigint, limits: RateLimits, now?: number): RateLimitDecision;
  /** Remembers a refusal Postgres made until its retry time. */
  refused(personId: bigint, limits: RateLimits, refusal: RateRefusal, now?: number): RateLimitDecision;
}

interface Held {
  readonly until: number;
  readonly reason: 'requests' | 'tokens';
  readonly limitsKey: string;
}

const ALLOWED: RateLimitDecision = { allowed: true, retryAfterSeconds: 0, reason: null };
const PRUNE_AT = 10_000;

export function createRateLimiter(): RateLimiter {
  const held = new Map<bigint, Held>();
  const keyOf = (l: RateLimits) => `${l.requestsPerMinute}/${l.tokensPerMinute}`;
  const decision = (h: Held, now: number): RateLimitDecision => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((h.until - now) / 1000)),
    reason: h.reason,
  });

  return {
    admit(personId, limits, now = Date.now()) {
      if (limits.requestsPerMinute === null && limits.tokensPerMinute === null) return ALLOWED;
      const h = held.get(personId);
      if (!h) return ALLOWED;
      // A changed policy (new limits) asks Postgres again.
      if (h.until <= now || h.limitsKey !== keyOf(limits)) {
        held.delete(personId);
        return ALLOWED;
      }
      return decision(h, now);
    },
    refused(personId, limits, refusal, now = Date.now()) {
      if (held.size >= PRUNE_AT) for (const [id, h] of held) if (h.until <= now) held.delete(id);
      const h: Held = { until: now + refusal.retryAfterMs, reason: refusal.reason, limitsKey: keyOf(limits) };
      held.set(personId, h);
      return decision(h, now);
    },
  };
}

/** The 429 a refused request gets, with Retry-After in whole seconds. */
export function rateLimitedError(decision: RateLimitDecision, limits: RateLimits): GatewayError {
  const what = decision.reason === 'tokens' ? `${limits.tokensPerMinute} tokens` : `${limits.requestsPerMinute} requests`;
  return new GatewayError('rate_limited', `Rate limit reached: your policy allows ${what} per minute. Retry in ${decision.retryAfterSeconds} s.`, null, {
    'retry-after': String(decision.retryAfterSeconds),
  });
}
