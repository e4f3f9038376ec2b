import { describe, expect, it } from 'vitest';
import { mergeAnthropicUsage, parseAnthropicUsage, usageFromAnthropicMessage } from './anthropic-usage.ts';

const message = (usage: unknown) => ({
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hello!' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage,
});

describe('usageFromAnthropicMessage', () => {
  it('keeps input_tokens as is: it already excludes cache reads and writes', () => {
    const body = message({ input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 7, service_tier: 'standard' });
    expect(usageFromAnthropicMessage(body)).toEqual({ inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 200, cacheWrite1hTokens: 0, outputTokens: 7, reasoningTokens: 0 });
  });

  it('splits writes by TTL from cache_creation, and reads thinking as a subset of output', () => {
    const body = message({
      input_tokens: 50,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 200,
      cache_creation: { ephemeral_5m_input_tokens: 150, ephemeral_1h_input_tokens: 50 },
      output_tokens: 900,
      output_tokens_details: { thinking_tokens: 700 },
      server_tool_use: null,
      inference_geo: 'us',
    });
    expect(usageFromAnthropicMessage(body)).toEqual({ inputTokens: 50, cachedInputTokens: 0, cacheWrite5mTokens: 150, cacheWrite1hTokens: 50, outputTokens: 900, reasoningTokens: 700 });
  });

  it('sums a TTL breakdown that comes without a total', () => {
    const body = message({ input_tokens: 5, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 30 }, output_tokens: 1 });
    expect(usageFromAnthropicMessage(body)).toMatchObject({ cacheWrite5mTokens: 10, cacheWrite1hTokens: 30 });
  });

  it('reads null cache fields as zero', () => {
    const body = message({ input_tokens: 12, cache_read_input_tokens: null, cache_creation_input_tokens: null, cache_creation: null, output_tokens: 3 });
    expect(usageFromAnthropicMessage(body)).toMatchObject({ inputTokens: 12, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });
  });

  it('returns null without usable usage, and never throws', () => {
    expect(usageFromAnthropicMessage(message(undefined))).toBeNull();
    expect(usageFromAnthropicMessage(message({}))).toBeNull();
    expect(usageFromAnthropicMessage(message([1, 2]))).toBeNull();
    expect(usageFromAnthropicMessage(null)).toBeNull();
    expect(usageFromAnthropicMessage({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toBeNull();
  });
});

describe('mergeAnthropicUsage', () => {
  it('lets the later report win field by field, but not with nulls', () => {
    const start = parseAnthropicUsage({ input_tokens: 25, cache_read_input_tokens: 100, cache_creation_input_tokens: 0, output_tokens: 1 });
    const delta = parseAnthropicUsage({ input_tokens: null, cache_read_input_tokens: 120, output_tokens: 15 });
    expect(mergeAnthropicUsage(start, delta)).toMatchObject({ input_tokens: 25, cache_read_input_tokens: 120, cache_creation_input_tokens: 0, output_tokens: 15 });
    expect(mergeAnthropicUsage(null, delta)).toBe(delta);
    expect(mergeAnthropicUsage(start, null)).toBe(start);
  });
});

describe('server tool use', () => {
  it('reads web search and web fetch requests as tool calls', () => {
    const usage = usageFromAnthropicMessage({ usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 } } });
    expect(usage?.toolCalls).toEqual({ web_search: 3, web_fetch: 1 });
    expect(usageFromAnthropicMessage({ usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 0 } } })?.toolCalls).toBeUndefined();
  });
});
