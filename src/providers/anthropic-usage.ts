import type { Usage } from '../pricing/cost.ts';
import { anthropicUsageSchema, type AnthropicUsage } from './usage-schemas.ts';

/**
 * Anthropic: input_tokens EXCLUDES cache reads and cache writes. Cache writes are
 * 5-minute writes unless the breakdown says some were 1-hour writes.
 */
export function normalizeAnthropicUsage(u: AnthropicUsage): Usage {
  const writes = u.cache_creation_input_tokens ?? 0;
  const oneHour = Math.min(u.cache_creation?.ephemeral_1h_input_tokens ?? 0, writes);
  return {
    inputTokens: u.input_tokens ?? 0,
    cachedInputTokens: u.cache_read_input_tokens ?? 0,
    cacheWrite5mTokens: writes - oneHour,
    cacheWrite1hTokens: oneHour,
    outputTokens: u.output_tokens ?? 0,
    reasoningTokens: 0,
  };
}

export function parseAnthropicUsage(raw: unknown): AnthropicUsage | null {
  if (raw === null || typeof raw !== 'object') return null;
  return anthropicUsageSchema.parse(raw);
}

export function usageFromAnthropicMessage(body: unknown): Usage | null {
  const raw = body !== null && typeof body === 'object' ? (body as { usage?: unknown }).usage : undefined;
  const u = parseAnthropicUsage(raw);
  return u ? normalizeAnthropicUsage(u) : null;
}
