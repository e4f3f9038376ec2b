import { describe, expect, it } from 'vitest';
import { estimateUsage } from './usage-estimate.ts';

describe('estimateUsage (a success without usage)', () => {
  it('counts the generated text of a chat completion, tool calls included', () => {
    const body = { choices: [{ message: { content: 'Paris is the capital.', tool_calls: [{ function: { name: 'lookup', arguments: '{"q":"x"}' } }] } }] };
    const u = estimateUsage('chat', body, 250, 999);
    expect(u.inputTokens).toBe(250);
    expect(u.outputTokens).toBe(Math.max(3, Math.ceil(Buffer.byteLength('Paris is the capital.lookup{"q":"x"}') / 4)));
  });

  it('counts a response’s output text and its billed tool calls', () => {
    const body = {
      usage: null,
      output: [
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { type: 'message', content: [{ type: 'output_text', text: 'Twelve words of answer text here for the estimate to count.' }] },
      ],
    };
    const u = estimateUsage('responses', body, 10, 0);
    expect(u.outputTokens).toBe(Math.ceil(Buffer.byteLength('Twelve words of answer text here for the estimate to count.') / 4));
    expect(u.toolCalls).toEqual({ web_search: 1 });
  });

  it('counts an Anthropic message’s text, thinking, tool input and server tool uses', () => {
    const body = {
      content: [
        { type: 'thinking', thinking: 'hmm' },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
        { type: 'text', text: 'Answer.' },
        { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } },
      ],
    };
    const u = estimateUsage('messages', body, 5, 0);
    expect(u.outputTokens).toBeGreaterThanOrEqual(3);
    expect(u.toolCalls).toEqual({ web_search: 1 });
  });

  it('counts a body that is not JSON by its bytes, and never less than nothing', () => {
    expect(estimateUsage('chat', undefined, 7, 401)).toMatchObject({ inputTokens: 7, outputTokens: 101 });
    expect(estimateUsage('embeddings', { data: [] }, 7, 10)).toMatchObject({ inputTokens: 7, outputTokens: 0 });
  });
});
