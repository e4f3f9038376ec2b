import type { Usage } from '../pricing/cost.ts';
import type { SseEvent } from './sse-parser.ts';

/** Follows one provider stream: decides what the client sees and what was used. */
export interface StreamTracker {
  /** The text to forward for this event (usually `event.raw`), or null to drop it. */
  onEvent(event: SseEvent): string | null;
  /** Final usage when the provider reported it in the stream, else null. */
  usage(): Usage | null;
  /** Best usage for a stream that ended early: reported parts where known, output counted from the deltas. */
  partialUsage(inputTokensFallback: number): Usage;
  /** True once a terminal event arrived ([DONE], response.completed, message_stop…). */
  finished(): boolean;
}

export function parseJson(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Counts generated output as it streams: each delta at least one token, or a token per 4 bytes. */
export function createOutputCounter() {
  let deltas = 0;
  let bytes = 0;
  return {
    add(text: string) {
      deltas++;
      bytes += Buffer.byteLength(text);
    },
    tokens: () => Math.max(deltas, Math.ceil(bytes / 4)),
  };
}
