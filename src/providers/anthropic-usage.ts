import { anthropicToolCalls } from './tool-calls.ts';
import { splitCacheWrites, type Usage } from './usage.ts';
import { anthropicUsageSchema, type AnthropicUsage } from './usage-schemas.ts';

/** Reads an Anthropic usage object; null when it is not an object. */
export function parseAnthropicUsage(raw: unknown): AnthropicUsage | null {
  const parsed = anthropicUsageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * Unlike OpenAI, Anthropic's input_tokens EXCLUDES cache reads and cache writes, so
 * the three add up. Writes are 5-minute writes unless `cache_creation` says some
 * were 1-hour writes. Thinking is part of output_tokens (thinking_tokens is a subset).
 */
export function normalizeAnthropicUsage(u: AnthropicUsage): Usage | null {
  if (u.input_tokens == null && u.output_tokens == null) return null;
  const writes = splitCacheWrites(u.cache_creation_input_tokens, u.cache_creation?.ephemeral_5m_input_tokens, u.cache_creation?.ephemeral_1h_input_tokens);
  const output = u.output_tokens ?? 0;
  const toolCalls = anthropicToolCalls(u.server_tool_use);
  return {
    inputTokens: u.input_tokens ?? 0,
    cachedInputTokens: u.cache_read_input_tokens ?? 0,
    cacheWrite5mTokens: writes.shortLived,
    cacheWrite1hTokens: writes.longLived,
    outputTokens: output,
    reasoningTokens: Math.min(u.output_tokens_details?.thinking_tokens ?? 0, output),
    ...(toolCalls ? { toolCalls } : {}),
  };
}

/**
 * Streams report usage twice: message_start (input and cache counts, a token or so
 * of output) and message_delta (cumulative counts; its input and cache fields may
 * be null or absent). A count the later report gives wins.
 */
export function mergeAnthropicUsage(earlier: AnthropicUsage | null, later: AnthropicUsage | null): AnthropicUsage | null {
  if (!earlier || !later) return earlier ?? later;
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) if (value != null) merged[key] = value;
  return merged as AnthropicUsage;
}

/** A non-streamed `/v1/messages` body. */
export function usageFromAnthropicMessage(body: unknown): Usage | null {
  const raw = body !== null && typeof body === 'object' ? (body as { usage?: unknown }).usage : undefined;
  const u = parseAnthropicUsage(raw);
  return u ? normalizeAnthropicUsage(u) : null;
}
