import type { Usage } from '../pricing/cost.ts';
import { normalizeResponsesUsage } from './openai-usage.ts';
import type { SseEvent } from './sse-parser.ts';
import { createOutputCounter, parseJson, type StreamTracker } from './stream-tracker.ts';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Responses API streams: usage arrives on the terminal event's `response.usage`. */
export function trackOpenAiResponsesStream(): StreamTracker {
  let usage: Usage | null = null;
  let done = false;
  const output = createOutputCounter();
  return {
    onEvent(event: SseEvent) {
      const payload = parseJson(event.data);
      const type = typeof payload?.type === 'string' ? payload.type : event.event;
      if (type && type.endsWith('.delta') && typeof payload?.delta === 'string') output.add(payload.delta);
      if (type && TERMINAL.has(type)) {
        done = true;
        const response = payload?.response as { usage?: unknown } | undefined;
        usage = normalizeResponsesUsage(response?.usage) ?? usage;
      }
      return event.raw;
    },
    usage: () => usage,
    partialUsage: (fallback) =>
      usage ?? { inputTokens: fallback, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: output.tokens(), reasoningTokens: 0 },
    finished: () => done,
  };
}
