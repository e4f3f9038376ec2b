// Bedrock's answer in Anthropic's terms: the event stream decoded into SSE the Anthropic
// SDK reads (whatever the chunking), exceptions inside a stream as Anthropic `error` events,
// and errors as Anthropic error bodies.
import { describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { bedrockChunk, bedrockStreamException } from '../../mock-provider/bedrock/event-stream-encoder.ts';
import { bedrockUpstream } from './bedrock.ts';
import { staticSecret } from './secrets.ts';
import type { UpstreamRequest } from './upstream.ts';

const upstream = bedrockUpstream({
  name: 'bedrock-us',
  region: 'us-east-1',
  models: { 'claude-haiku-4-5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0' },
  auth: { apiKey: staticSecret('bedrock-api-key', 'test') },
  now: () => Date.UTC(2026, 10, 30),
});
const call = (stream: boolean): UpstreamRequest => ({ operation: 'messages', dialect: 'anthropic', stream, modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', body: { model: 'claude-haiku-4-5', max_tokens: 5, stream, messages: [] }, clientHeaders: { 'anthropic-beta': 'a,b' } });

function response(status: number, headers: Record<string, string>, parts: readonly Uint8Array[]): Dispatcher.ResponseData {
  const all = Buffer.concat(parts);
  const body = {
    async *[Symbol.asyncIterator]() {
      yield* parts;
    },
    arrayBuffer: async () => all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
  return { statusCode: status, headers, body } as unknown as Dispatcher.ResponseData;
}

const read = async (body: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const part of body) text += Buffer.from(part).toString('utf8');
  return text;
};

describe('the Bedrock upstream', () => {
  it('writes InvokeModel: model in the path, anthropic_version and anthropic_beta in the body, no model or stream', async () => {
    const prepared = await upstream.prepare(call(true));
    expect(prepared.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream');
    expect(prepared.headers.authorization).toBe('Bearer bedrock-api-key');
    expect(JSON.parse(prepared.body)).toEqual({ max_tokens: 5, messages: [], anthropic_version: 'bedrock-2023-05-31', anthropic_beta: ['a', 'b'] });
    expect(upstream.priceScope('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({ platform: 'bedrock', scope: 'regional' });
    expect(upstream.priceScope('global.anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({ platform: 'bedrock', scope: 'global' });
  });

  it('decodes the event stream into Anthropic SSE, split anywhere; an exception frame becomes an error event', async () => {
    const events = [{ type: 'message_start', message: { usage: { input_tokens: 3 } } }, { type: 'content_block_delta', delta: { type: 'text_delta', text: 'hé' } }];
    const bytes = Buffer.concat([...events.map((e) => bedrockChunk(JSON.stringify(e))), bedrockStreamException('throttlingException', 'Too many tokens')]);
    const parts = [bytes.subarray(0, 7), bytes.subarray(7, 50), bytes.subarray(50)];
    const adapted = await upstream.adapt(response(200, { 'content-type': 'application/vnd.amazon.eventstream' }, parts), call(true));
    expect(adapted.headers['content-type']).toBe('text/event-stream');
    expect(await read(adapted.body)).toBe(
      `event: message_start\ndata: ${JSON.stringify(events[0])}\n\n` +
        `event: content_block_delta\ndata: ${JSON.stringify(events[1])}\n\n` +
        `event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Too many tokens"}}\n\n`,
    );
  });

  it("errors in Anthropic's shape; refused credentials become a 502", async () => {
    const throttled = await upstream.adapt(response(429, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, [Buffer.from('{"message":"Too many requests"}')]), call(false));
    expect(throttled.statusCode).toBe(429);
    expect(JSON.parse(Buffer.from(await throttled.body.arrayBuffer()).toString())).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Too many requests' } });
    const refused = await upstream.adapt(response(403, { 'x-amzn-errortype': 'UnrecognizedClientException' }, [Buffer.from('{"message":"The security token included in the request is invalid."}')]), call(false));
    expect(refused.statusCode).toBe(502);
  });
});
