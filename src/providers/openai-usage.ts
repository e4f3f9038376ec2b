import { responsesToolCalls } from './tool-calls.ts';
import { splitCacheWrites, zeroUsage, type Usage } from './usage.ts';
import { openAiChatUsageSchema, openAiResponsesUsageSchema } from './usage-schemas.ts';

/** OpenAI's counts under either API's field names. */
interface OpenAiCounts {
  readonly prompt: number | null | undefined;
  readonly completion: number | null | undefined;
  readonly total: number | null | undefined;
  readonly cached: number | null | undefined;
  readonly cacheWrites: number | null | undefined;
  readonly writes30m: number | null | undefined;
  readonly writes12h: number | null | undefined;
  readonly reasoning: number | null | undefined;
}

/**
 * OpenAI's prompt count INCLUDES cache reads and cache writes, and its completion
 * count INCLUDES reasoning. Reads and writes are clamped to the prompt so the
 * prompt side bills exactly the prompt count. Output is never less than the
 * reported reasoning, nor than total − prompt: some OpenAI-compatible servers
 * (Gemini thinking models among them) leave thoughts out of completion_tokens
 * but not out of total_tokens.
 */
function normalizeOpenAi(c: OpenAiCounts): Usage | null {
  if (c.prompt == null && c.completion == null) return null;
  const prompt = c.prompt ?? 0;
  const cached = Math.min(c.cached ?? 0, prompt);
  const writes = splitCacheWrites(c.cacheWrites, c.writes30m, c.writes12h);
  const long = Math.min(writes.longLived, prompt - cached);
  const short = Math.min(writes.shortLived, prompt - cached - long);
  const reasoning = c.reasoning ?? 0;
  return {
    inputTokens: prompt - cached - long - short,
    cachedInputTokens: cached,
    cacheWrite5mTokens: short,
    cacheWrite1hTokens: long,
    outputTokens: Math.max(c.completion ?? 0, reasoning, c.total != null ? c.total - prompt : 0),
    reasoningTokens: reasoning,
  };
}

/** A chat completion's `usage` object (also the usage chunk of a stream). */
export function normalizeChatUsage(raw: unknown): Usage | null {
  const parsed = openAiChatUsageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const u = parsed.data;
  const p = u.prompt_tokens_details;
  return normalizeOpenAi({
    prompt: u.prompt_tokens,
    completion: u.completion_tokens,
    total: u.total_tokens,
    cached: p?.cached_tokens,
    cacheWrites: p?.cache_write_tokens,
    writes30m: p?.cache_write_tokens_details?.ttl_30m_tokens,
    writes12h: p?.cache_write_tokens_details?.ttl_12h_tokens,
    reasoning: u.completion_tokens_details?.reasoning_tokens,
  });
}

/** A Responses API `usage` object (`response.usage` on the terminal stream events). */
export function normalizeResponsesUsage(raw: unknown): Usage | null {
  const parsed = openAiResponsesUsageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const u = parsed.data;
  const i = u.input_tokens_details;
  return normalizeOpenAi({
    prompt: u.input_tokens,
    completion: u.output_tokens,
    total: u.total_tokens,
    cached: i?.cached_tokens,
    cacheWrites: i?.cache_write_tokens,
    writes30m: i?.cache_write_tokens_details?.ttl_30m_tokens,
    writes12h: i?.cache_write_tokens_details?.ttl_12h_tokens,
    reasoning: u.output_tokens_details?.reasoning_tokens,
  });
}

const usageField = (body: unknown): unknown => (body !== null && typeof body === 'object' ? (body as { usage?: unknown }).usage : undefined);

/** A non-streamed `/v1/chat/completions` body. */
export const usageFromChatCompletion = (body: unknown): Usage | null => normalizeChatUsage(usageField(body));

/** A Responses object's usage and the built-in tool calls in its output (web searches, file searches). */
export function usageOfResponse(response: unknown): Usage | null {
  const usage = normalizeResponsesUsage(usageField(response));
  if (!usage) return null;
  const toolCalls = responsesToolCalls(response !== null && typeof response === 'object' ? (response as { output?: unknown }).output : undefined);
  return toolCalls ? { ...usage, toolCalls } : usage;
}

/** A non-streamed `/v1/responses` body. */
export const usageFromResponse = (body: unknown): Usage | null => usageOfResponse(body);

/** A `/v1/embeddings` body: input only (`prompt_tokens`, or `total_tokens`, which equals it). */
export function usageFromEmbeddings(body: unknown): Usage | null {
  const parsed = openAiChatUsageSchema.safeParse(usageField(body));
  if (!parsed.success) return null;
  const input = parsed.data.prompt_tokens ?? parsed.data.total_tokens;
  return input == null ? null : { ...zeroUsage, inputTokens: input };
}
