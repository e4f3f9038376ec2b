// The Responses API through the official openai SDK, and the raw event sequence.
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

describe('responses, standard', () => {
  it('string input: output_text and usage (input includes cached, output includes reasoning)', async () => {
    const { data, response } = await client.responses.create({ model: 'gpt-4.1', input: 'Say hi mock:tokens=5 mock:cached=7' }).withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(data.status).toBe('completed');
    expect(data.output_text).toBe(outputText(5));
    const input = countInputTokens(['Say hi mock:tokens=5 mock:cached=7']) + 7;
    expect(data.usage).toEqual({
      input_tokens: input,
      input_tokens_details: { cached_tokens: 7 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + 5,
    });
  });

  it('item input with instructions; a reasoning model adds a reasoning item and 8 reasoning tokens', async () => {
    const input = [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: 'Explain mock:tokens=3' }] }];
    const data = await client.responses.create({ model: 'o4-mini', instructions: 'Be brief.', input });
    expect(data.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(data.output_text).toBe(outputText(3));
    expect(data.usage?.input_tokens).toBe(countInputTokens(input, 'Be brief.'));
    expect(data.usage).toMatchObject({ output_tokens: 11, output_tokens_details: { reasoning_tokens: 8 } });
  });

  it('max_output_tokens stops the answer: status incomplete, reason max_output_tokens', async () => {
    const data = await client.responses.create({ model: 'gpt-4.1', input: 'mock:tokens=100', max_output_tokens: 16 });
    expect(data.status).toBe('incomplete');
    expect(data.incomplete_details?.reason).toBe('max_output_tokens');
    expect(data.usage?.output_tokens).toBe(16);
  });

  it('max_output_tokens below 16 is refused like the real API', async () => {
    const error = await client.responses.create({ model: 'gpt-4.1', input: 'x', max_output_tokens: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('integer_below_min_value');
  });
});

describe('responses, streamed', () => {
  it('the full event sequence with consecutive sequence numbers and usage on response.completed', async () => {
    const raw = await postRaw(`${mock.url}/v1/responses`, { model: 'gpt-4.1', input: 'mock:tokens=3', stream: true }, OPENAI_AUTH);
    const frames = parseSse(raw.text);
    expect(frames.map((f) => f.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const events = frames.map((f) => JSON.parse(f.data) as { type: string; sequence_number: number; response?: { usage: unknown } });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.every((e, i) => e.type === frames[i]!.event)).toBe(true);
    expect(events[0]!.response!.usage).toBeNull();
    expect(events.at(-1)!.response!.usage).toMatchObject({ output_tokens: 3 });
  });

  it('the SDK iterator and responses.stream().finalResponse() read it', async () => {
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'mock:tokens=4', stream: true });
    let deltas = 0;
    let completed;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') deltas++;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(deltas).toBe(4);
    expect(completed?.usage?.output_tokens).toBe(4);

    const helper = client.responses.stream({ model: 'gpt-5', input: 'mock:tokens=2' });
    const final = await helper.finalResponse();
    expect(final.output_text).toBe(outputText(2));
    expect(final.usage).toMatchObject({ output_tokens: 10, output_tokens_details: { reasoning_tokens: 8 } });
  });

  it('a capped stream ends with response.incomplete carrying the usage', async () => {
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'mock:tokens=50', max_output_tokens: 20, stream: true });
    let terminal;
    for await (const event of stream) if (event.type === 'response.incomplete') terminal = event.response;
    expect(terminal?.status).toBe('incomplete');
    expect(terminal?.usage?.output_tokens).toBe(20);
  });
});
