import { z } from 'zod';

// Upstream usage objects, validated leniently: unknown fields pass through, and a
// missing, null or malformed count reads as null (never a throw), so one odd field
// cannot cost the whole usage.
const tokens = z.number().nonnegative().nullish().catch(null);
const details = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).nullish().catch(null);

// OpenAI GPT-5.6+ report cache writes, optionally split by retention.
const cacheWriteDetails = details({ ttl_30m_tokens: tokens, ttl_12h_tokens: tokens });

/** Chat completions and embeddings (`usage`). */
export const openAiChatUsageSchema = z.looseObject({
  prompt_tokens: tokens,
  completion_tokens: tokens,
  total_tokens: tokens,
  prompt_tokens_details: details({ cached_tokens: tokens, cache_write_tokens: tokens, cache_write_tokens_details: cacheWriteDetails }),
  completion_tokens_details: details({ reasoning_tokens: tokens }),
});

/** Responses API (`response.usage`). */
export const openAiResponsesUsageSchema = z.looseObject({
  input_tokens: tokens,
  output_tokens: tokens,
  total_tokens: tokens,
  input_tokens_details: details({ cached_tokens: tokens, cache_write_tokens: tokens, cache_write_tokens_details: cacheWriteDetails }),
  output_tokens_details: details({ reasoning_tokens: tokens }),
});

/** Anthropic messages (`usage`, `message.usage` in message_start, `usage` in message_delta). */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_input_tokens: tokens,
  cache_creation_input_tokens: tokens,
  cache_creation: details({ ephemeral_5m_input_tokens: tokens, ephemeral_1h_input_tokens: tokens }),
  output_tokens_details: details({ thinking_tokens: tokens }),
  // Server tools (web search, web fetch): calls billed per request beside the tokens.
  server_tool_use: details({ web_search_requests: tokens, web_fetch_requests: tokens }),
});

export type OpenAiChatUsage = z.infer<typeof openAiChatUsageSchema>;
export type OpenAiResponsesUsage = z.infer<typeof openAiResponsesUsageSchema>;
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;
