// Anthropic Messages through the official @anthropic-ai/sdk, and the raw event stream.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { ANTHROPIC_AUTH, anthropicClient, parseSse, postRaw } from './mock-test-support.ts';
import { countInputTokens, outputText } from './mock-text.ts';

let mock: MockProvider;
let client: Anthropic;
beforeAll(async () => {
  mock = await startMockProvider();
  client = anthropicClient(mock);
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];

describe('messages, standard', () => {
  it('text and usage; input_tokens excludes cache reads and writes', async () => {
    const messages = user('Hello mock:cached=40 mock:cache-write=10 mock:tokens=6');
    const { data, response } = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, system: 'Be brief.', messages }).withResponse();
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(data.type).toBe('message');
    expect(data.content).toEqual([{ type: 'text', text: outputText(6) }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage).toMatchObject({
      input_tokens: countInputTokens(messages, 'Be brief.'),
      cache_read_input_tokens: 40,
      cache_creation_input_tokens: 10,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 0 },
      output_tokens: 6,
    });
  });

  it('max_tokens caps the answer (stop_reason max_tokens); a missing max_tokens is a 400', async () => {
    const capped = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 3, messages: user('mock:tokens=30') });
    expect(capped.stop_reason).toBe('max_tokens');
    expect(capped.usage.output_tokens).toBe(3);
    const raw = await postRaw(`${mock.url}/v1/messages`, { model: 'claude-haiku-4-5', messages: user('x') }, ANTHROPIC_AUTH);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  it('directive errors come in Anthropic shape with the request id', async () => {
    const error = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: user('mock:status=529') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(529);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(apiError.requestID).toMatch(/^req_/);
    const limited = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: user('mock:status=429') }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
  });
});

describe('messages, streamed', () => {
  it('the event sequence with event: lines; message_start has output 1, message_delta the totals', async () => {
    const body = { model: 'claude-haiku-4-5', max_tokens: 100, stream: true, messages: user('mock:tokens=2 mock:cached=5') };
    const frames = parseSse((await postRaw(`${mock.url}/v1/messages`, body, ANTHROPIC_AUTH)).text);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const events = frames.map((f) => JSON.parse(f.data) as Record<string, any>);
    expect(events.every((e, i) => e.type === frames[i]!.event)).toBe(true);
    const input = countInputTokens(body.messages);
    expect(events[0]!.message.usage).toMatchObject({ input_tokens: input, cache_read_input_tokens: 5, cache_creation_input_tokens: 0, output_tokens: 1 });
    expect(events[3]!.delta).toEqual({ type: 'text_delta', text: 'Our' });
    expect(events[6]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2, input_tokens: input } });
  });

  it('the SDK stream helper: finalMessage() carries the usage', async () => {
    const stream = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: user('Stream mock:tokens=9 mock:cached=4') });
    let deltas = 0;
    stream.on('text', () => deltas++);
    const final = await stream.finalMessage();
    expect(deltas).toBe(9);
    expect(final.content).toEqual([{ type: 'text', text: outputText(9) }]);
    expect(final.usage).toMatchObject({ output_tokens: 9, cache_read_input_tokens: 4 });
    expect(final.stop_reason).toBe('end_turn');
  });

  it('the raw iterator (stream: true) yields one text delta per token', async () => {
    const stream = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 4, stream: true, messages: user('mock:tokens=10') });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.filter((t) => t === 'content_block_delta')).toHaveLength(4);
    expect(types.at(-1)).toBe('message_stop');
  });
});

describe('models', () => {
  it('lists models in Anthropic shape when called with x-api-key', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('claude-sonnet-4-5');
    expect(page.data.every((m) => m.type === 'model')).toBe(true);
  });
});
