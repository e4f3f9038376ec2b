import { describe, expect, it } from 'vitest';
import { usageFromAnthropicMessage } from './anthropic-usage.ts';
import { usageFromChatCompletion, usageFromEmbeddings, usageFromResponse } from './openai-usage.ts';

describe('usage normalization', () => {
  it('OpenAI chat: cached tokens come out of prompt_tokens, reasoning stays inside output', () => {
    expect(
      usageFromChatCompletion({
        usage: { prompt_tokens: 1000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 400 }, completion_tokens_details: { reasoning_tokens: 200 } },
      }),
    ).toEqual({ inputTokens: 600, cachedInputTokens: 400, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 500, reasoningTokens: 200 });
  });

  it('Responses API: the same arithmetic with its own field names', () => {
    expect(
      usageFromResponse({ usage: { input_tokens: 80, output_tokens: 30, input_tokens_details: { cached_tokens: 64 }, output_tokens_details: { reasoning_tokens: 10 } } }),
    ).toMatchObject({ inputTokens: 16, cachedInputTokens: 64, outputTokens: 30, reasoningTokens: 10 });
  });

  it('embeddings bill prompt tokens only', () => {
    expect(usageFromEmbeddings({ usage: { prompt_tokens: 9, total_tokens: 9 } })).toMatchObject({ inputTokens: 9, outputTokens: 0 });
  });

  it('Anthropic: input excludes cache reads and writes; 1-hour writes split out', () => {
    expect(
      usageFromAnthropicMessage({
        usage: { input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 7, cache_creation: { ephemeral_5m_input_tokens: 150, ephemeral_1h_input_tokens: 50 } },
      }),
    ).toEqual({ inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 150, cacheWrite1hTokens: 50, outputTokens: 7, reasoningTokens: 0 });
    expect(usageFromAnthropicMessage({ usage: { input_tokens: 5, cache_creation_input_tokens: 20, output_tokens: 1 } })).toMatchObject({ cacheWrite5mTokens: 20, cacheWrite1hTokens: 0 });
  });

  it('returns null when there is no usage, and never throws on junk', () => {
    expect(usageFromChatCompletion({ id: 'x' })).toBeNull();
    expect(usageFromChatCompletion('nope')).toBeNull();
    expect(usageFromAnthropicMessage(null)).toBeNull();
    expect(usageFromChatCompletion({ usage: { prompt_tokens: 'many', completion_tokens: -1 } })).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });
});
