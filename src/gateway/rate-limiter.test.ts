import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

const T0 = Date.parse('2026-11-22T10:00:00Z');

describe('rate limiter', () => {
  it('allows up to the request limit per minute, then says when to retry', () => {
    const limiter = createRateLimiter();
    const limits = { requestsPerMinute: 2, tokensPerMinute: null };
    expect(limiter.admit(1n, limits, T0).allowed).toBe(true);
    expect(limiter.admit(1n, limits, T0 + 1000).allowed).toBe(true);
    const third = limiter.admit(1n, limits, T0 + 2000);
    expect(third).toEqual({ allowed: false, retryAfterSeconds: 58, reason: 'requests' });
    // Another person is not affected.
    expect(limiter.admit(2n, limits, T0 + 2000).allowed).toBe(true);
  });

  it('slides: the previous minute weighs less as the new one goes on', () => {
    const limiter = createRateLimiter();
    const limits = { requestsPerMinute: 2, tokensPerMinute: null };
    limiter.admit(1n, limits, T0);
    limiter.admit(1n, limits, T0 + 1);
    expect(limiter.admit(1n, limits, T0 + 60_000 + 1_000).allowed).toBe(false); // previous minute still ~98 % weighted
    expect(limiter.admit(1n, limits, T0 + 60_000 + 45_000).allowed).toBe(true); // 25 % of 2 = 0.5, +1 ≤ 2
  });

  it('blocks once the tokens used in the window reach the token limit', () => {
    const limiter = createRateLimiter();
    const limits = { requestsPerMinute: null, tokensPerMinute: 1000 };
    expect(limiter.admit(1n, limits, T0).allowed).toBe(true);
    limiter.recordTokens(1n, 1200, T0 + 10);
    expect(limiter.admit(1n, limits, T0 + 20).reason).toBe('tokens');
    expect(limiter.admit(1n, { requestsPerMinute: null, tokensPerMinute: null }, T0 + 20).allowed).toBe(true);
  });
});
