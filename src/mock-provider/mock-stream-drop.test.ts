// Streams cut by the provider (mock:drop-after), clients that leave, and shutdown.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { ANTHROPIC_AUTH, OPENAI_AUTH, anthropicClient, openAiClient, parseSse, postRaw } from './mock-test-support.ts';

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider();
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];

describe('mock:drop-after=N', () => {
  it('chat: N content chunks, then the SDK stream errors; no usage, no [DONE]', async () => {
    for (const delay of [0, 5]) {
      const stream = await openAiClient(mock).chat.completions.create({
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        messages: user(`mock:tokens=50 mock:drop-after=3 mock:delay=${delay}`),
      });
      let content = 0;
      let usage = false;
      const consume = async () => {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta.content) content++;
          if (chunk.usage) usage = true;
        }
      };
      await expect(consume()).rejects.toThrow();
      expect(content).toBe(3);
      expect(usage).toBe(false);
    }
  });

  it('raw: the body ends mid-stream without a terminator', async () => {
    const raw = await postRaw(`${mock.url}/v1/chat/completions`, { model: 'gpt-4o', stream: true, messages: user('mock:tokens=9 mock:drop-after=4') }, OPENAI_AUTH);
    expect(raw.cut).toBe(true);
    const frames = parseSse(raw.text);
    expect(frames.some((f) => f.data === '[DONE]')).toBe(false);
    expect(frames.filter((f) => f.data.includes('"content":"') && !f.data.includes('"content":""'))).toHaveLength(4);
  });

  it('a drop point past the end still cuts before the final events', async () => {
    const raw = await postRaw(`${mock.url}/v1/messages`, { model: 'claude-haiku-4-5', max_tokens: 50, stream: true, messages: user('mock:tokens=2 mock:drop-after=10') }, ANTHROPIC_AUTH);
    expect(raw.cut).toBe(true);
    const events = parseSse(raw.text).map((f) => f.event);
    expect(events.filter((e) => e === 'content_block_delta')).toHaveLength(2);
    expect(events).not.toContain('message_delta');
  });

  it('responses: N deltas, then the SDK stream errors before response.completed', async () => {
    const stream = await openAiClient(mock).responses.create({ model: 'gpt-4.1', input: 'mock:tokens=20 mock:drop-after=5', stream: true });
    const types: string[] = [];
    const consume = async () => {
      for await (const event of stream) types.push(event.type);
    };
    await expect(consume()).rejects.toThrow();
    expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(5);
    expect(types).not.toContain('response.completed');
  });

  it('messages: N text deltas, then finalMessage() rejects', async () => {
    const stream = anthropicClient(mock).messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: user('mock:tokens=20 mock:drop-after=6 mock:delay=2') });
    let texts = 0;
    stream.on('text', () => texts++);
    stream.on('error', () => undefined);
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(texts).toBe(6);
  });
});

describe('clients that leave and shutdown', () => {
  it('a client that aborts mid-stream stops the generation; the server keeps serving', async () => {
    const client = openAiClient(mock);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: user('mock:tokens=500 mock:delay=5') });
    let content = 0;
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content && ++content === 3) break;
    expect(content).toBe(3);
    expect((await client.chat.completions.create({ model: 'gpt-4o', messages: user('still there?') })).choices).toHaveLength(1);
  });

  it('close() ends keep-alive sockets and streams in flight, promptly', async () => {
    const own = await startMockProvider({ tokenDelayMs: 50 });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${own.url}/v1`, maxRetries: 0 });
    await client.models.list(); // leaves an idle keep-alive connection
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: user('mock:tokens=1000') });
    let chunks = 0;
    const consumed = (async () => {
      for await (const _ of stream) chunks++;
    })();
    await own.close();
    // Promptly: the stream was cut, not waited for (1,000 tokens at 50 ms would take 50 s).
    await expect(consumed).rejects.toThrow();
    expect(chunks).toBeLessThan(1000);
    await expect(fetch(`${own.url}/v1/models`)).rejects.toThrow();
  });
});
