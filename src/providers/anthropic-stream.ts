import type { Usage } from '../pricing/cost.ts';
import { normalizeAnthropicUsage, parseAnthropicUsage } from './anthropic-usage.ts';
import type { SseEvent } from './sse-parser.ts';
import { createOutputCounter, parseJson, type StreamTracker } from './stream-tracker.ts';
import type { AnthropicUsage } from './usage-schemas.ts';

/**
 * Anthropic message streams: `message_start` carries input and cache tokens,
 * `message_delta` the cumulative output tokens (and sometimes updated input fields).
 */
export function trackAnthropicStream(): StreamTracker {
  let started: AnthropicUsage | null = null;
  let delta: AnthropicUsage | null = null;
  let done = false;
  const output = createOutputCounter();

  const merged = (): AnthropicUsage | null => {
    if (!started && !delta) return null;
    const pick = <K extends keyof AnthropicUsage>(k: K) => delta?.[k] ?? started?.[k] ?? null;
    return {
      input_tokens: pick('input_tokens'),
      output_tokens: pick('output_tokens'),
      cache_read_input_tokens: pick('cache_read_input_tokens'),
      cache_creation_input_tokens: pick('cache_creation_input_tokens'),
      cache_creation: pick('cache_creation'),
    } as AnthropicUsage;
  };

  return {
    onEvent(event: SseEvent) {
      const payload = parseJson(event.data);
      const type = typeof payload?.type === 'string' ? payload.type : event.event;
      if (type === 'message_start') {
        started = parseAnthropicUsage((payload?.message as { usage?: unknown } | undefined)?.usage);
      } else if (type === 'message_delta') {
        delta = parseAnthropicUsage(payload?.usage);
      } else if (type === 'content_block_delta') {
        const d = payload?.delta as { text?: unknown; partial_json?: unknown; thinking?: unknown } | undefined;
        const text = [d?.text, d?.partial_json, d?.thinking].find((v): v is string => typeof v === 'string');
        if (text) output.add(text);
      } else if (type === 'message_stop') {
        done = true;
      }
      return event.raw;
    },
    // Final only once message_delta reported the output count.
    usage: () => (delta && done ? normalizeAnthropicUsage(merged()!) : null),
    partialUsage(fallback) {
      const u = merged();
      const base = u ? normalizeAnthropicUsage(u) : null;
      return {
        inputTokens: base && started?.input_tokens != null ? base.inputTokens : fallback,
        cachedInputTokens: base?.cachedInputTokens ?? 0,
        cacheWrite5mTokens: base?.cacheWrite5mTokens ?? 0,
        cacheWrite1hTokens: base?.cacheWrite1hTokens ?? 0,
        outputTokens: Math.max(delta?.output_tokens ?? 0, output.tokens()),
        reasoningTokens: 0,
      };
    },
    finished: () => done,
  };
}
