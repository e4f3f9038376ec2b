// Input beyond the body and server-side search, through the official SDKs against the mock.
import type Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { FILE_TOKENS } from './mock-references.ts';
import { SEARCH_CONTENT_TOKENS } from './mock-server-tools.ts';
import { ANTHROPIC_AUTH, anthropicClient, openAiClient, parseSse, postRaw } from './mock-test-support.ts';
import { countInputTokens } from './mock-text.ts';

let mock: MockProvider;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  mock = await startMockProvider();
  openai = openAiClient(mock);
  anthropic = anthropicClient(mock);
});
afterAll(() => mock.close());

describe('Responses: previous responses, files, web search', () => {
  it('a previous response brings its input and output into the next one', async () => {
    const first = await openai.responses.create({ model: 'gpt-4.1', input: 'Remember this mock:tokens=6' });
    const second = await openai.responses.create({ model: 'gpt-4.1', input: 'And now?', previous_response_id: first.id });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.usage!.input_tokens).toBe(countInputTokens(['And now?']) + first.usage!.input_tokens + first.usage!.output_tokens);
  });

  it('an unknown or unstored previous response is a 400', async () => {
    const unstored = await openai.responses.create({ model: 'gpt-4.1', input: 'x', store: false });
    for (const id of ['resp_missing', unstored.id]) {
      const error = await openai.responses.create({ model: 'gpt-4.1', input: 'y', previous_response_id: id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('previous_response_id');
    }
  });

  it('each input_file costs a file of tokens', async () => {
    const data = await openai.responses.create({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }, { type: 'input_text', text: 'Sum it up mock:file-tokens=2500' }] }],
    });
    expect(data.usage!.input_tokens).toBe(countInputTokens([{ content: [{ text: 'Sum it up mock:file-tokens=2500' }] }]) + 2_500);
    const defaultSize = await openai.responses.create({ model: 'gpt-4.1', input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] }] });
    expect(defaultSize.usage!.input_tokens).toBe(countInputTokens([{ content: [] }]) + FILE_TOKENS);
  });

  it('web search: one web_search_call item per search, capped by max_tool_calls; results count as input', async () => {
    const data = await openai.responses.create({ model: 'gpt-5', input: 'News? mock:searches=5 mock:tokens=2', tools: [{ type: 'web_search' }], max_tool_calls: 3 });
    expect(data.output.map((o) => o.type)).toEqual(['reasoning', 'web_search_call', 'web_search_call', 'web_search_call', 'message']);
    expect(data.usage!.input_tokens).toBe(countInputTokens(['News? mock:searches=5 mock:tokens=2']) + 3 * SEARCH_CONTENT_TOKENS);
    const stream = await openai.responses.create({ model: 'gpt-4.1', input: 'News? mock:searches=2', tools: [{ type: 'web_search' }], max_tool_calls: 4, stream: true });
    const done: string[] = [];
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.output_item.done') done.push(event.item.type);
      if (event.type === 'response.completed') final = event.response;
    }
    expect(done).toEqual(['web_search_call', 'web_search_call', 'message']);
    expect(final!.output.filter((o) => o.type === 'web_search_call')).toHaveLength(2);
  });

  it('directives: exact input tokens, and a success without usage', async () => {
    expect((await openai.responses.create({ model: 'gpt-4.1', input: 'x mock:input-tokens=300000' })).usage!.input_tokens).toBe(300_000);
    expect((await openai.responses.create({ model: 'gpt-4.1', input: 'x mock:no-usage=1' })).usage).toBeNull();
    const chat = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x mock:no-usage=1' }] });
    expect(chat.usage).toBeUndefined();
  });
});

describe('Messages: documents and web search', () => {
  it('documents by URL, file or base64 PDF cost a file of tokens each; plain text is counted as text', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-opus-4-5',
      max_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain' } },
            { type: 'text', text: 'Compare mock:file-tokens=700' },
          ],
        },
      ],
    });
    expect(msg.usage.input_tokens).toBe(countInputTokens([{ content: [{ text: 'Compare mock:file-tokens=700' }] }]) + 2 * 700);
  });

  it('web search: server_tool_use and results blocks, capped by max_uses, reported in usage.server_tool_use', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-opus-4-5',
      max_tokens: 50,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }],
      messages: [{ role: 'user', content: 'Look it up mock:searches=3 mock:tokens=4' }],
    });
    expect(msg.content.map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'server_tool_use', 'web_search_tool_result', 'text']);
    expect(msg.usage.server_tool_use).toEqual({ web_search_requests: 2, web_fetch_requests: 0 });
    expect(msg.usage.input_tokens).toBe(countInputTokens(['Look it up mock:searches=3 mock:tokens=4']) + 2 * SEARCH_CONTENT_TOKENS);
  });

  it('streams the search blocks before the text, and reports the searches in message_delta', async () => {
    const res = await postRaw(`${mock.url}/v1/messages`, {
      model: 'claude-opus-4-5',
      max_tokens: 50,
      stream: true,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }],
      messages: [{ role: 'user', content: 'Look it up mock:tokens=2' }],
    }, ANTHROPIC_AUTH);
    const frames = parseSse(res.text).map((f) => JSON.parse(f.data) as { type: string; index?: number; content_block?: { type: string }; usage?: unknown });
    expect(frames.filter((f) => f.type === 'content_block_start').map((f) => [f.index, f.content_block!.type])).toEqual([
      [0, 'server_tool_use'],
      [1, 'web_search_tool_result'],
      [2, 'text'],
    ]);
    expect(frames.find((f) => f.type === 'message_delta')!.usage).toMatchObject({ server_tool_use: { web_search_requests: 1 } });
  });
});
