import type { Usage } from '../pricing/cost.ts';
import { normalizeChatUsage } from './openai-usage.ts';
import type { SseEvent } from './sse-parser.ts';
import { createOutputCounter, parseJson, type StreamTracker } from './stream-tracker.ts';

/**
 * Chat completion streams. With `stripUsage`, the gateway asked for usage the client
 * did not: the usage-only chunk is dropped and `"usage":null` removed from the others
 * (a textual removal: that key/value can only appear unescaped as a real field), so
 * the client receives byte for byte what it would have received.
 */
export function trackOpenAiChatStream(options: { readonly stripUsage: boolean }): StreamTracker {
  let usage: Usage | null = null;
  let done = false;
  const output = createOutputCounter();

  return {
    onEvent(event: SseEvent) {
      if (event.data === '[DONE]') {
        done = true;
        return event.raw;
      }
      const chunk = parseJson(event.data);
      if (!chunk) return event.raw;
      const choices = Array.isArray(chunk.choices) ? (chunk.choices as Record<string, unknown>[]) : [];
      for (const choice of choices) {
        const delta = choice?.delta as { content?: unknown; tool_calls?: unknown; refusal?: unknown } | undefined;
        if (typeof delta?.content === 'string' && delta.content) output.add(delta.content);
        else if (typeof delta?.refusal === 'string' && delta.refusal) output.add(delta.refusal);
        else if (Array.isArray(delta?.tool_calls)) output.add(JSON.stringify(delta.tool_calls));
      }
      if (chunk.usage && typeof chunk.usage === 'object') {
        usage = normalizeChatUsage(chunk.usage);
        if (options.stripUsage && choices.length === 0) return null;
      }
      if (options.stripUsage && chunk.usage === null) {
        return event.raw.replace(',"usage":null', '').replace('"usage":null,', '');
      }
      return event.raw;
    },
    usage: () => usage,
    partialUsage: (fallback) =>
      usage ?? { inputTokens: fallback, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: output.tokens(), reasoningTokens: 0 },
    finished: () => done,
  };
}
