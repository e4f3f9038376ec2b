// Chat completions through the official openai SDK, and the raw stream it parses.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { OPENAI_AUTH, openAiClient, parseSse, postRaw } from './mock-test-support.ts';
import { countInputTokens, outputText } from './mock-text.ts';

let mock: MockProvider;
let client: OpenAI;
beforeAll(async () => {
  mock = await startMockProvider();
  client = openAiClient(mock);
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];

describe('chat completions, standard', () => {
  it('answers with the default 12 tokens and usage from the formula', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: user('Hello there') }).withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.choices[0]?.message.content).toBe(outputText(12));
    expect(data.choices[0]?.finish_reason).toBe('stop');
    // "Hello there" is 11 bytes: ceil(11 / 4) + 3 for the one message.
    expect(data.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 });
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it('counts array content parts and system messages; cached tokens are inside prompt_tokens', async () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'Two parts' }, { type: 'text' as const, text: ' mock:cached=50 mock:tokens=3' }] },
    ];
    const data = await client.chat.completions.create({ model: 'gpt-4o', messages });
    const counted = countInputTokens(messages);
    expect(data.usage).toMatchObject({ prompt_tokens: counted + 50, completion_tokens: 3 });
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(50);
  });

  it('max_tokens / max_completion_tokens cap the answer (finish_reason length)', async () => {
    const capped = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 4, messages: user('mock:tokens=40') });
    expect(capped.usage?.completion_tokens).toBe(4);
    expect(capped.choices[0]?.finish_reason).toBe('length');
    const newer = await client.chat.completions.create({ model: 'gpt-4o', max_completion_tokens: 2, messages: user('hi') });
    expect(newer.usage?.completion_tokens).toBe(2);
  });

  it('reasoning models report reasoning tokens inside completion_tokens', async () => {
    for (const model of ['o3', 'o4-mini', 'gpt-5-mini']) {
      const data = await client.chat.completions.create({ model, messages: user('think mock:tokens=5') });
      expect(data.usage).toMatchObject({ completion_tokens: 13, completion_tokens_details: { reasoning_tokens: 8 } });
      expect(data.choices[0]?.message.content).toBe(outputText(5));
    }
    const starved = await client.chat.completions.create({ model: 'o3', max_completion_tokens: 6, messages: user('hi') });
    expect(starved.usage).toMatchObject({ completion_tokens: 6, completion_tokens_details: { reasoning_tokens: 6 } });
    expect(starved.choices[0]?.message.content).toBe('');
    expect(starved.choices[0]?.finish_reason).toBe('length');
  });

  it('n choices multiply the output', async () => {
    const data = await client.chat.completions.create({ model: 'gpt-4o', n: 3, messages: user('mock:tokens=4') });
    expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(data.usage?.completion_tokens).toBe(12);
  });
});

describe('chat completions, streamed', () => {
  it('without include_usage: no usage field at all, one content chunk per token', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: user('mock:tokens=7') });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(7);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('with include_usage: "usage":null on every chunk, then a choices-less usage chunk before [DONE]', async () => {
    const body = { model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: user('mock:tokens=3 mock:cached=2') };
    const raw = await postRaw(`${mock.url}/v1/chat/completions`, body, OPENAI_AUTH);
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = parseSse(raw.text);
    expect(frames.at(-1)?.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data) as { choices: unknown[]; usage: unknown; obfuscation?: string });
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: countInputTokens(body.messages) + 2, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } });
    for (const c of chunks.slice(0, -1)) {
      expect(c.usage).toBeNull();
      expect(c.choices).toHaveLength(1);
      expect(typeof c.obfuscation).toBe('string');
    }
    // role chunk + 3 content chunks + finish chunk + usage chunk
    expect(chunks).toHaveLength(6);
  });

  it('the SDK sees the same through its iterator and finalChatCompletion()', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: user('mock:tokens=5') });
    let usage;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBe(5);

    const helper = client.chat.completions.stream({ model: 'o3', stream_options: { include_usage: true }, messages: user('mock:tokens=4') });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(outputText(4));
    expect(final.usage).toMatchObject({ completion_tokens: 12, completion_tokens_details: { reasoning_tokens: 8 } });
  });

  it('include_obfuscation: false drops the padding field; n choices stream in turns', async () => {
    const body = { model: 'gpt-4o', n: 2, stream: true, stream_options: { include_obfuscation: false }, messages: user('mock:tokens=2') };
    const frames = parseSse((await postRaw(`${mock.url}/v1/chat/completions`, body, OPENAI_AUTH)).text).slice(0, -1);
    const chunks = frames.map((f) => JSON.parse(f.data) as { choices: { index: number; delta: { content?: string } }[]; obfuscation?: string });
    expect(chunks.every((c) => c.obfuscation === undefined)).toBe(true);
    const content = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(content.map((c) => c.choices[0]!.index)).toEqual([0, 1, 0, 1]);
  });

  it('stream_options without stream is a 400, as at OpenAI', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', stream_options: { include_usage: true }, messages: user('hi') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('stream_options');
  });
});
