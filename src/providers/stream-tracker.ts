import type { SseEvent } from './sse-parser.ts';
import type { Usage } from './usage.ts';

/** Follows one provider stream: decides what the client sees and what was used. */
export interface StreamTracker {
  /** Returns the text to forward to the client for this event (usually event.raw), or null to drop it. Never throws. */
  onEvent(event: SseEvent): string | null;
  /** Final usage when the provider reported it in the stream, else null. */
  usage(): Usage | null;
  /**
   * Best available usage if the stream ended early (client disconnect, upstream drop):
   * reported parts where known, output estimated from the content deltas seen so far.
   * `inputTokensFallback` is used when the stream never reported input tokens.
   */
  partialUsage(inputTokensFallback: number): Usage;
  /** True once the stream carried a terminal event ([DONE], response.completed/incomplete/failed, message_stop, an error event). */
  finished(): boolean;
}

/**
 * Runs `inspect` on an event and falls back to forwarding it untouched if anything
 * in there throws: a tracker must never break the relay over an odd event.
 */
export function guarded(inspect: (event: SseEvent) => string | null): (event: SseEvent) => string | null {
  return (event) => {
    try {
      return inspect(event);
    } catch {
      return event.raw;
    }
  };
}
