import { isJsonObject, parseJsonObject } from './json-object.ts';
import { usageOfResponse } from './openai-usage.ts';
import { createOutputEstimate } from './output-estimate.ts';
import type { SseEvent } from './sse-parser.ts';
import { guarded, type StreamTracker } from './stream-tracker.ts';
import { addResponsesItem } from './tool-calls.ts';
import { zeroUsage, type Usage } from './usage.ts';

// The stream's last event; each carries the whole response, usage included
// (response.failed may carry `usage: null`). `error` also ends a stream, without usage.
const TERMINAL: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

// `*.delta` events whose delta is not generated text: base64 audio, and the output
// of a shell the platform ran (tool output, not model output).
const NOT_GENERATED: ReadonlySet<string> = new Set(['response.audio.delta', 'response.shell_call_output_content.delta']);

/**
 * Responses API streams: typed events (`event:` and the payload's `type` agree);
 * output arrives in `response.*.delta` events (text, reasoning, refusals, tool-call
 * arguments), usage only on the terminal event's `response.usage`.
 */
export function trackOpenAiResponsesStream(): StreamTracker {
  let usage: Usage | null = null;
  let done = false;
  const output = createOutputEstimate();
  // Tool calls seen so far (output_item.done), for a stream cut before its terminal event.
  const calls: Record<string, number> = {};

  const inspect = (event: SseEvent): string | null => {
    const payload = parseJsonObject(event.data);
    if (!payload) return event.raw;
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    if (type === undefined) return event.raw;
    if (type.endsWith('.delta')) {
      if (typeof payload.delta === 'string' && !NOT_GENERATED.has(type)) output.add(payload.delta);
    } else if (type === 'response.output_item.done') {
      addResponsesItem(calls, payload.item);
    } else if (TERMINAL.has(type)) {
      done = true;
      const response = payload.response;
      if (isJsonObject(response)) usage = usageOfResponse(response) ?? usage;
    }
    return event.raw;
  };

  return {
    onEvent: guarded(inspect),
    usage: () => usage,
    partialUsage: (inputTokensFallback) =>
      usage ?? { ...zeroUsage, inputTokens: inputTokensFallback, outputTokens: output.tokens(), ...(Object.keys(calls).length > 0 ? { toolCalls: { ...calls } } : {}) },
    finished: () => done,
  };
}
