import { z } from 'zod';

// Upstream usage objects, validated leniently: unknown fields pass, missing ones default.
const count = z.number().int().nonnegative().catch(0).default(0);

export const openAiChatUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  prompt_tokens_details: z.looseObject({ cached_tokens: count }).nullish().catch(null),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish().catch(null),
});

export const openAiResponsesUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  input_tokens_details: z.looseObject({ cached_tokens: count }).nullish().catch(null),
  output_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish().catch(null),
});

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative().nullish().catch(null),
  output_tokens: z.number().int().nonnegative().nullish().catch(null),
  cache_read_input_tokens: z.number().int().nonnegative().nullish().catch(null),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish().catch(null),
  cache_creation: z
    .looseObject({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count })
    .nullish()
    .catch(null),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;
