import type { Usage } from '../pricing/cost.ts';
import { openAiChatUsageSchema, openAiResponsesUsageSchema } from './usage-schemas.ts';

const usageOf = (body: unknown): unknown =>
  body !== null && typeof body === 'object' ? (body as { usage?: unknown }).usage : undefined;

/** Chat completions: prompt_tokens INCLUDES cached_tokens; completion_tokens INCLUDES reasoning_tokens. */
export function normalizeChatUsage(raw: unknown): Usage | null {
  if (raw === null || typeof raw !== 'object') return null;
  const u = openAiChatUsageSchema.parse(raw);
  const cached = Math.min(u.prompt_tokens_details?.cached_tokens ?? 0, u.prompt_tokens);
  return {
    inputTokens: u.prompt_tokens - cached,
    cachedInputTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: u.completion_tokens,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Responses API: input_tokens INCLUDES cached_tokens; output_tokens INCLUDES reasoning_tokens. */
export function normalizeResponsesUsage(raw: unknown): Usage | null {
  if (raw === null || typeof raw !== 'object') return null;
  const u = openAiResponsesUsageSchema.parse(raw);
  const cached = Math.min(u.input_tokens_details?.cached_tokens ?? 0, u.input_tokens);
  return {
    inputTokens: u.input_tokens - cached,
    cachedInputTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: u.output_tokens,
    reasoningTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

export const usageFromChatCompletion = (body: unknown) => normalizeChatUsage(usageOf(body));
export const usageFromResponse = (body: unknown) => normalizeResponsesUsage(usageOf(body));
/** Embeddings bill input only. */
export const usageFromEmbeddings = (body: unknown) => normalizeChatUsage(usageOf(body));
