import { describe, expect, it } from 'vitest';
import { backoffMs, decideRetry, retryAfterMs } from './bamboohr-retry.ts';

const limits = { maxAttempts: 4, maxRetryAfterMs: 60_000 };
const NOW = Date.parse('2026-03-02T10:00:00Z');

describe('BambooHR retries', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('7', NOW)).toBe(7000);
    expect(retryAfterMs('Mon, 02 Mar 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:00 GMT', NOW)).toBe(0);
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs(null, NOW)).toBeUndefined();
  });

  it('waits as long as a throttling answer asks, else backs off exponentially up to a cap', () => {
    expect(decideRetry(429, '3', 1, limits, NOW)).toEqual({ retry: true, delayMs: 3000 });
    expect(decideRetry(503, '2', 1, limits, NOW)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(503, null, 2, limits, NOW)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(502, '9', 3, limits, NOW)).toEqual({ retry: true, delayMs: 4000 }); // Retry-After is for throttling
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('stops after the last attempt, or at once when the wait asked for is longer than the run waits', () => {
    expect(decideRetry(500, null, 4, limits, NOW)).toEqual({ retry: false, why: 'after 4 attempts' });
    expect(decideRetry(429, '3600', 1, limits, NOW)).toMatchObject({ retry: false, why: expect.stringContaining('retry in 3600 s') });
  });

  it('never retries what another attempt cannot fix', () => {
    for (const status of [400, 401, 403, 404, 406, 501]) expect(decideRetry(status, '1', 1, limits, NOW)).toEqual({ retry: false });
  });
});
