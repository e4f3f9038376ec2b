import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitedError } from './rate-limiter.ts';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const limits = { requestsPerMinute: 2, tokensPerMinute: null };

describe('rate limiter (the replica\'s cache of refusals from Postgres)', () => {
  it('lets everything through to Postgres until Postgres refuses', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 100; i++) expect(limiter.admit(1n, limits, T0 + i).allowed).toBe(true);
  });

  it('repeats a refusal without a round trip until its retry time, then asks again', () => {
    const limiter = createRateLimiter();
    const first = limiter.refused(1n, limits, { reason: 'requests', retryAfterMs: 41_500 }, T0);
    expect(first).toEqual({ allowed: false, retryAfterSeconds: 42, reason: 'requests' });
    expect(limiter.admit(1n, limits, T0 + 1_000)).toEqual({ allowed: false, retryAfterSeconds: 41, reason: 'requests' });
    expect(limiter.admit(1n, limits, T0 + 41_000)).toEqual({ allowed: false, retryAfterSeconds: 1, reason: 'requests' });
    expect(limiter.admit(1n, limits, T0 + 41_500).allowed).toBe(true);
    // Another person is not affected.
    expect(limiter.admit(2n, limits, T0 + 1_000).allowed).toBe(true);
  });

  it('forgets a refusal when the person\'s limits change, or they no longer have any', () => {
    const limiter = createRateLimiter();
    limiter.refused(1n, limits, { reason: 'tokens', retryAfterMs: 30_000 }, T0);
    expect(limiter.admit(1n, { requestsPerMinute: 2, tokensPerMinute: null }, T0 + 1).reason).toBe('tokens');
    expect(limiter.admit(1n, { requestsPerMinute: 20, tokensPerMinute: null }, T0 + 2).allowed).toBe(true);
    limiter.refused(1n, limits, { reason: 'requests', retryAfterMs: 30_000 }, T0);
    expect(limiter.admit(1n, { requestsPerMinute: null, tokensPerMinute: null }, T0 + 3).allowed).toBe(true);
  });

  it('renders a 429 naming the limit that was hit, with Retry-After in whole seconds', () => {
    const error = rateLimitedError({ allowed: false, retryAfterSeconds: 7, reason: 'tokens' }, { requestsPerMinute: 5, tokensPerMinute: 1000 });
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('1000 tokens per minute');
    expect(error.headers).toEqual({ 'retry-after': '7' });
  });
});
