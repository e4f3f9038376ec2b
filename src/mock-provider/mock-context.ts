import type { Directives } from './mock-directives.ts';
import type { Reply } from './mock-http.ts';
import type { ResponseStore } from './mock-references.ts';

/** Everything a route handler needs: the validated body, where to reply, and how. */
export interface MockContext<B> {
  readonly body: B;
  readonly reply: Reply;
  readonly directives: Directives;
  /** Completion length when neither the request nor a directive fixes one. */
  readonly outputTokens: number;
  /** Delay between streamed chunks (a `mock:delay` directive overrides it). */
  readonly tokenDelayMs: number;
  /** Stored Responses API responses, for `previous_response_id`. */
  readonly responses: ResponseStore;
}

export const unixSeconds = (): number => Math.floor(Date.now() / 1000);

const PADDING = 'q8ZkR2mXv7LpT4nWc9HsB3dYf6GjA1eU';

/**
 * OpenAI pads streamed deltas with a random `obfuscation` string (on by default,
 * `stream_options.include_obfuscation: false` turns it off). Deterministic here.
 */
export const obfuscation = (i: number): string => PADDING.slice(0, 4 + ((i * 7) % 12));
