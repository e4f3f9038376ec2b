import { mergeAnthropicUsage, normalizeAnthropicUsage, parseAnthropicUsage } from './anthropic-usage.ts';
import { isJsonObject, parseJsonObject, stringField } from './json-object.ts';
import { createOutputEstimate } from './output-estimate.ts';
import type { SseEvent } from './sse-parser.ts';
import { guarded, type StreamTracker } from './stream-tracker.ts';
import type { AnthropicUsage } from './usage-schemas.ts';
import { zeroUsage, type Usage } from './usage.ts';

/** Generated text of a content_block_delta: text, tool input JSON, thinking (signatures and citations are not output). */
const deltaText = (delta: unknown): string =>
  stringField(delta, 'text') ?? stringField(delta, 'partial_json') ?? stringField(delta, 'thinking') ?? '';

/**
 * Anthropic message streams: `message_start` carries input and cache counts,
 * `message_delta` the cumulative output count (and possibly final input and cache
 * counts), `message_stop` ends the stream; `error` ends it too, without usage.
 */
export function trackAnthropicStream(): StreamTracker {
  let started: AnthropicUsage | null = null;
  let final: AnthropicUsage | null = null;
  let done = false;
  const output = createOutputEstimate();

  const inspect = (event: SseEvent): string | null => {
    const payload = parseJsonObject(event.data);
    if (!payload) return event.raw;
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    if (type === 'content_block_delta') {
      output.add(deltaText(payload.delta));
    } else if (type === 'message_start') {
      const message = payload.message;
      started = parseAnthropicUsage(isJsonObject(message) ? message.usage : undefined) ?? started;
    } else if (type === 'message_delta') {
      final = mergeAnthropicUsage(final, parseAnthropicUsage(payload.usage));
    } else if (type === 'message_stop' || type === 'error') {
      done = true;
    }
    return event.raw;
  };

  // Reported usage: message_start's counts overlaid with message_delta's.
  const reported = (): Usage | null => {
    const merged = mergeAnthropicUsage(started, final);
    return merged ? normalizeAnthropicUsage(merged) : null;
  };

  return {
    onEvent: guarded(inspect),
    // Final once message_delta reported the output count and message_stop closed the message.
    usage: () => (final !== null && done ? reported() : null),
    partialUsage(inputTokensFallback) {
      const known = reported();
      const inputKnown = started?.input_tokens != null || final?.input_tokens != null;
      return {
        ...(known ?? zeroUsage),
        inputTokens: inputKnown && known ? known.inputTokens : inputTokensFallback,
        outputTokens: Math.max(known?.outputTokens ?? 0, output.tokens()),
      };
    },
    finished: () => done,
  };
}
