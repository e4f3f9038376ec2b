// When to try a BambooHR request again, and after how long. BambooHR throttles with 503
// (sometimes 429) and a Retry-After header; other 5xx and network failures are retried
// with exponential backoff. Everything else (401, 403, 404, 400) is final.

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly why?: string };

/** Retry-After as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 1 s, 2 s, 4 s, … capped at 30 s, for the n-th retry (n ≥ 1). */
export const backoffMs = (retry: number): number => Math.min(BACKOFF_BASE_MS * 2 ** (retry - 1), BACKOFF_MAX_MS);

export const isThrottle = (status: number): boolean => status === 429 || status === 503;
export const isRetryable = (status: number): boolean => isThrottle(status) || (status >= 500 && status <= 599 && status !== 501);

/** What to do after attempt number `attempt` (1-based) answered `status`. */
export function decideRetry(status: number, retryAfter: string | null, attempt: number, limits: { readonly maxAttempts: number; readonly maxRetryAfterMs: number }, now: number): RetryDecision {
  if (!isRetryable(status)) return { retry: false };
  if (attempt >= limits.maxAttempts) return { retry: false, why: `after ${attempt} attempts` };
  const asked = isThrottle(status) ? retryAfterMs(retryAfter, now) : undefined;
  if (asked !== undefined && asked > limits.maxRetryAfterMs) {
    return { retry: false, why: `it asks to retry in ${Math.ceil(asked / 1000)} s, longer than the ${Math.round(limits.maxRetryAfterMs / 1000)} s this run waits (STIPEND_BAMBOOHR_MAX_RETRY_AFTER_SECONDS)` };
  }
  return { retry: true, delayMs: asked ?? backoffMs(attempt) };
}
