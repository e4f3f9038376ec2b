import { describe, expect, it } from 'vitest';
import { usageFromChatCompletion, usageFromEmbeddings, usageFromResponse } from './openai-usage.ts';

const completion = (usage: unknown) => ({
  id: 'chatcmpl-CA1x',
  object: 'chat.completion',
  created: 1_763_000_000,
  model: 'o4-mini-2025-04-16',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
  usage,
  service_tier: 'default',
  system_fingerprint: null,
});

describe('usageFromChatCompletion', () => {
  it('takes cached tokens out of prompt_tokens and keeps reasoning inside output', () => {
    const body = completion({
      prompt_tokens: 1000,
      completion_tokens: 500,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 400, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 320, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(usageFromChatCompletion(body)).toEqual({
      inputTokens: 600,
      cachedInputTokens: 400,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 500,
      reasoningTokens: 320,
    });
  });

  it('takes cache writes (GPT-5.6+) out of prompt_tokens too: 2600 = 2000 read + 400 written + 200 plain', () => {
    const body = completion({ prompt_tokens: 2600, completion_tokens: 10, total_tokens: 2610, prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 400 } });
    expect(usageFromChatCompletion(body)).toMatchObject({ inputTokens: 200, cachedInputTokens: 2000, cacheWrite5mTokens: 400, cacheWrite1hTokens: 0 });
  });

  it('clamps reads and writes to the prompt, so the prompt side never bills more than prompt_tokens', () => {
    const body = completion({ prompt_tokens: 100, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 80, cache_write_tokens: 50 } });
    expect(usageFromChatCompletion(body)).toMatchObject({ inputTokens: 0, cachedInputTokens: 80, cacheWrite5mTokens: 20 });
  });

  it('bills thoughts a server left out of completion_tokens but counted in total_tokens (Gemini-style)', () => {
    const body = completion({ prompt_tokens: 21, completion_tokens: 0, total_tokens: 81, completion_tokens_details: { reasoning_tokens: 60 } });
    expect(usageFromChatCompletion(body)).toMatchObject({ inputTokens: 21, outputTokens: 60, reasoningTokens: 60 });
    const noTotal = completion({ prompt_tokens: 21, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 60 } });
    expect(usageFromChatCompletion(noTotal)).toMatchObject({ outputTokens: 60 });
  });

  it('returns null when the body has no usable usage, and never throws', () => {
    expect(usageFromChatCompletion(completion(undefined))).toBeNull();
    expect(usageFromChatCompletion(completion(null))).toBeNull();
    expect(usageFromChatCompletion(completion({}))).toBeNull();
    expect(usageFromChatCompletion(completion('lots'))).toBeNull();
    expect(usageFromChatCompletion('nope')).toBeNull();
    expect(usageFromChatCompletion(null)).toBeNull();
    expect(usageFromChatCompletion([{ usage: { prompt_tokens: 1 } }])).toBeNull();
  });

  it('reads a malformed count as absent rather than failing the whole usage', () => {
    const body = completion({ prompt_tokens: 12, completion_tokens: -3, prompt_tokens_details: { cached_tokens: 'x' }, completion_tokens_details: null });
    expect(usageFromChatCompletion(body)).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });
});

describe('usageFromResponse', () => {
  const response = (usage: unknown) => ({
    id: 'resp_68a1',
    object: 'response',
    created_at: 1_763_000_000,
    status: 'completed',
    model: 'gpt-5.6-terra',
    output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] }],
    usage,
  });

  it('applies the same arithmetic under the Responses field names', () => {
    const body = response({ input_tokens: 80, input_tokens_details: { cached_tokens: 64 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 10 }, total_tokens: 110 });
    expect(usageFromResponse(body)).toEqual({ inputTokens: 16, cachedInputTokens: 64, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 30, reasoningTokens: 10 });
  });

  it('splits cache writes by retention: 30-minute → short-lived, 12-hour → long-lived', () => {
    const body = response({
      input_tokens: 5000,
      input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 3000, cache_write_tokens_details: { ttl_30m_tokens: 1000, ttl_12h_tokens: 2000 } },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5007,
    });
    expect(usageFromResponse(body)).toMatchObject({ inputTokens: 1000, cachedInputTokens: 1000, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000, outputTokens: 7 });
  });

  it('returns null without usage (e.g. a response still in progress)', () => {
    expect(usageFromResponse(response(null))).toBeNull();
  });
});

describe('usageFromEmbeddings', () => {
  it('bills prompt tokens as input only', () => {
    const body = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 9, total_tokens: 9 } };
    expect(usageFromEmbeddings(body)).toEqual({ inputTokens: 9, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 });
    expect(usageFromEmbeddings({ usage: { total_tokens: 4 } })).toMatchObject({ inputTokens: 4 });
    expect(usageFromEmbeddings({ data: [] })).toBeNull();
  });
});
