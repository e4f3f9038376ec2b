import { isJsonObject, parseJsonObject, stringField } from './json-object.ts';
import { normalizeChatUsage } from './openai-usage.ts';
import { createOutputEstimate, type OutputEstimate } from './output-estimate.ts';
import type { SseEvent } from './sse-parser.ts';
import { guarded, type StreamTracker } from './stream-tracker.ts';
import { withoutNullUsage } from './strip-usage.ts';
import { zeroUsage, type Usage } from './usage.ts';

/** The generated text of one choice's delta: content, refusal, reasoning, tool-call names and arguments. */
function countDelta(choice: unknown, output: OutputEstimate): void {
  const delta = isJsonObject(choice) ? choice.delta : undefined;
  if (!isJsonObject(delta)) return;
  let text = (stringField(delta, 'content') ?? '') + (stringField(delta, 'refusal') ?? '');
  // reasoning_content / reasoning: OpenAI-compatible servers that stream thoughts.
  text += (stringField(delta, 'reasoning_content') ?? '') + (stringField(delta, 'reasoning') ?? '');
  if (Array.isArray(delta.tool_calls)) {
    for (const call of delta.tool_calls) {
      const fn = isJsonObject(call) ? call.function : undefined;
      text += (stringField(fn, 'name') ?? '') + (stringField(fn, 'arguments') ?? '');
    }
  }
  output.add(text);
}

/**
 * Chat completion streams. Usage comes in a chunk with `"choices":[]` before
 * `data: [DONE]` when `stream_options.include_usage` is set, and every other chunk
 * then carries `"usage":null`. With `stripUsage` the gateway set that option for a
 * client that did not: the usage-only chunk is dropped and `"usage":null` removed,
 * so the client gets what it would have got. Chunks that carry usage next to
 * choices (servers that always report it, e.g. Gemini's) are forwarded as they are.
 */
export function trackOpenAiChatStream(options: { readonly stripUsage: boolean }): StreamTracker {
  let usage: Usage | null = null;
  let done = false;
  const output = createOutputEstimate();

  const inspect = (event: SseEvent): string | null => {
    if (event.data === '[DONE]') {
      done = true;
      return event.raw;
    }
    const chunk = parseJsonObject(event.data);
    if (!chunk) return event.raw; // malformed or not JSON: forwarded, ignored for usage
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) countDelta(choice, output);
    if (isJsonObject(chunk.usage)) {
      usage = normalizeChatUsage(chunk.usage) ?? usage; // cumulative where repeated: the last wins
      if (options.stripUsage && choices.length === 0) return null;
    } else if (choices.length === 0 && isJsonObject(chunk.error)) {
      done = true; // a mid-stream error ends the stream; no [DONE] follows
    }
    if (options.stripUsage && chunk.usage === null) return withoutNullUsage(event.raw, chunk);
    return event.raw;
  };

  return {
    onEvent: guarded(inspect),
    usage: () => usage,
    partialUsage: (inputTokensFallback) => usage ?? { ...zeroUsage, inputTokens: inputTokensFallback, outputTokens: output.tokens() },
    finished: () => done,
  };
}
