import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../pricing/catalog.ts';
import { requestReach, type ReachResult } from './input-reach.ts';

const model = (name: string) => defaultCatalog().resolve(name)!;
const reach = (r: ReachResult) => {
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r.reach;
};
const refusal = (r: ReachResult) => {
  if (r.ok) throw new Error('not refused');
  return r;
};

describe('Responses API', () => {
  const responses = (body: Record<string, unknown>, name = 'gpt-5') => requestReach('responses', { model: name, input: 'hi', ...body }, model(name));

  it('reads nothing outside a plain body', () => {
    expect(reach(responses({}))).toEqual({ outside: null, serverToolCalls: 0, toolRates: {}, callFeesNanos: 0n, fixedFeesNanos: 0n });
    expect(reach(responses({ tools: [{ type: 'function', name: 'f', parameters: {} }, { type: 'custom', name: 'g' }] })).serverToolCalls).toBe(0);
  });

  it('names referenced input: previous responses, conversations, stored prompts, item references, files', () => {
    expect(reach(responses({ previous_response_id: 'resp_1' })).outside).toBe('previous_response_id');
    expect(reach(responses({ conversation: 'conv_1' })).outside).toBe('conversation');
    expect(reach(responses({ conversation: { id: 'conv_1' } })).outside).toBe('conversation');
    expect(reach(responses({ prompt: { id: 'pmpt_1', version: '2' } })).outside).toBe('prompt (a stored prompt)');
    expect(reach(responses({ input: [{ type: 'item_reference', id: 'msg_1' }] })).outside).toBe('an item_reference input');
    const file = (part: Record<string, unknown>) => responses({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'read' }, { type: 'input_file', ...part }] }] });
    expect(reach(file({ file_id: 'file-1' })).outside).toBe('an input_file');
    expect(reach(file({ file_url: 'https://example.com/a.pdf' })).outside).toBe('an input_file');
    expect(reach(file({ filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' })).outside).toBe('an input_file');
  });

  it('refuses background mode', () => {
    expect(refusal(responses({ background: true }))).toMatchObject({ param: 'background', message: expect.stringContaining('Background responses are not supported') });
  });

  it('bounds built-in tools by max_tool_calls: fees at the dearest declared rate, one pass each', () => {
    const r = reach(responses({ tools: [{ type: 'web_search' }, { type: 'file_search', vector_store_ids: ['vs_1'] }], max_tool_calls: 4 }));
    expect(r).toEqual({ outside: null, serverToolCalls: 4, toolRates: { web_search: 10_000_000n, file_search: 2_500_000n }, callFeesNanos: 40_000_000n, fixedFeesNanos: 0n });
    // The preview tool on a non-reasoning model: $25 / 1k.
    expect(reach(responses({ tools: [{ type: 'web_search_preview' }], max_tool_calls: 2 }, 'gpt-4o')).callFeesNanos).toBe(50_000_000n);
    // Remote MCP: no fee, but each call is another pass.
    expect(reach(responses({ tools: [{ type: 'mcp', server_label: 'x', server_url: 'https://mcp.example' }], max_tool_calls: 3 }))).toMatchObject({ serverToolCalls: 3, callFeesNanos: 0n });
    expect(reach(responses({ tools: [{ type: 'web_search' }], max_tool_calls: 0 }))).toMatchObject({ serverToolCalls: 0, callFeesNanos: 0n });
  });

  it('charges a new code container whatever the model does; an existing one was billed already', () => {
    expect(reach(responses({ tools: [{ type: 'code_interpreter', container: { type: 'auto' } }], max_tool_calls: 5 }))).toMatchObject({ fixedFeesNanos: 30_000_000n, callFeesNanos: 0n, serverToolCalls: 5 });
    expect(reach(responses({ tools: [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '1g' } }], max_tool_calls: 1 })).fixedFeesNanos).toBe(30_000_000n);
    expect(reach(responses({ tools: [{ type: 'code_interpreter', container: 'cntr_1' }], max_tool_calls: 1 })).fixedFeesNanos).toBe(0n);
    expect(refusal(responses({ tools: [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } }], max_tool_calls: 1 })).param).toBe('tools.0.container.memory_limit');
  });

  it('refuses built-in tools without max_tool_calls, and tools without a known cost', () => {
    expect(refusal(responses({ tools: [{ type: 'web_search' }] }))).toMatchObject({ param: 'max_tool_calls' });
    expect(refusal(responses({ tools: [{ type: 'image_generation' }], max_tool_calls: 1 }))).toMatchObject({ param: 'tools.0' });
    expect(refusal(responses({ tools: [{ type: 'some_future_tool' }], max_tool_calls: 1 }))).toMatchObject({ param: 'tools.0' });
    expect(refusal(responses({ tools: [{ type: 'shell', environment: { type: 'container_auto' } }] }))).toMatchObject({ param: 'tools.0' });
    expect(reach(responses({ tools: [{ type: 'shell' }, { type: 'local_shell' }, { type: 'apply_patch' }] })).serverToolCalls).toBe(0);
  });
});

describe('Chat Completions', () => {
  const chat = (body: Record<string, unknown>) => requestReach('chat.completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }, model('gpt-4o'));

  it('names file parts and Gemini cached content', () => {
    expect(reach(chat({})).outside).toBeNull();
    expect(reach(chat({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] })).outside).toBe('a file content part');
    expect(reach(chat({ extra_body: { google: { cached_content: 'cachedContents/abc' } } })).outside).toBe('Gemini cached_content');
  });

  it('refuses search options and non-function tools', () => {
    expect(refusal(chat({ web_search_options: {} })).param).toBe('web_search_options');
    expect(refusal(chat({ tools: [{ type: 'function', function: { name: 'f' } }, { google_search: {} }] })).param).toBe('tools.1');
    expect(reach(chat({ tools: [{ type: 'function', function: { name: 'f' } }] })).serverToolCalls).toBe(0);
  });
});

describe('Anthropic Messages', () => {
  const messages = (body: Record<string, unknown>) =>
    requestReach('messages', { model: 'claude-opus-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...body }, model('claude-opus-5'));
  const doc = (source: Record<string, unknown>) => messages({ messages: [{ role: 'user', content: [{ type: 'document', source }, { type: 'text', text: 'summarize' }] }] });

  it('names documents by URL, file or base64 PDF; plain-text documents are in the body', () => {
    expect(reach(doc({ type: 'url', url: 'https://example.com/a.pdf' })).outside).toBe('a document block (source url)');
    expect(reach(doc({ type: 'file', file_id: 'file_1' })).outside).toBe('a document block (source file)');
    expect(reach(doc({ type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' })).outside).toBe('a document block (source base64)');
    expect(reach(doc({ type: 'text', media_type: 'text/plain', data: 'plain' })).outside).toBeNull();
    // Nested in a tool result too.
    const nested = messages({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'document', source: { type: 'url', url: 'https://x' } }] }] }] });
    expect(reach(nested).outside).toBe('a document block (source url)');
  });

  it('bounds server tools by max_uses: web search $10 / 1,000, web fetch tokens only', () => {
    const r = reach(messages({ tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }, { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 2 }, { name: 'get_weather', input_schema: {} }] }));
    expect(r).toEqual({ outside: null, serverToolCalls: 7, toolRates: { web_search: 10_000_000n, web_fetch: 0n }, callFeesNanos: 50_000_000n, fixedFeesNanos: 0n });
    expect(reach(messages({ tools: [{ type: 'bash_20250124', name: 'bash' }, { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' }, { type: 'computer_20250124', name: 'computer' }] })).serverToolCalls).toBe(0);
  });

  it('refuses server tools without max_uses, code execution, tool search and the MCP connector', () => {
    expect(refusal(messages({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).param).toBe('tools.0.max_uses');
    expect(refusal(messages({ tools: [{ type: 'code_execution_20250825', name: 'code_execution' }] })).param).toBe('tools.0');
    expect(refusal(messages({ tools: [{ type: 'tool_search_tool_regex_20251119', name: 'tool_search' }] })).param).toBe('tools.0');
    expect(refusal(messages({ mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'x' }] })).param).toBe('mcp_servers');
  });
});

describe('embeddings', () => {
  it('reach nothing beyond the body', () => {
    expect(reach(requestReach('embeddings', { model: 'text-embedding-3-small', input: 'x' }, model('text-embedding-3-small'))).outside).toBeNull();
  });
});
