// Bedrock Runtime through @anthropic-ai/bedrock-sdk (SigV4 signed by the AWS signer
// it ships), and the raw event stream decoded by the gateway's decoder.
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStreamDecoder, interpretBedrockMessage, stringHeader } from '../../providers/bedrock-event-stream.ts';
import { TEST_AWS_CREDENTIAL } from '../cloud/cloud-options.ts';
import { startMockProvider, type MockProvider } from '../mock-provider.ts';
import { countInputTokens, outputText } from '../mock-text.ts';
import { anthropicModelOf } from './bedrock.ts';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ cloud: { bedrock: { region: 'eu-central-1', credentials: [TEST_AWS_CREDENTIAL], apiKeys: ['bedrock-api-key-test'] } } });
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];
const client = (secret = TEST_AWS_CREDENTIAL.secretAccessKey) =>
  new AnthropicBedrock({ awsAccessKey: TEST_AWS_CREDENTIAL.accessKeyId, awsSecretKey: secret, awsRegion: 'eu-central-1', baseURL: mock.url, apiKey: null, maxRetries: 0 });

/** Signs and sends a raw request as the gateway will (the AWS signer, any date). */
async function signedFetch(path: string, body: unknown, signingDate = new Date()) {
  const url = new URL(`${mock.url}${path}`);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service: 'bedrock', region: 'eu-central-1', credentials: TEST_AWS_CREDENTIAL, sha256: Sha256 });
  const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body: text });
  const signed = await signer.sign(request, { signingDate });
  return fetch(url, { method: 'POST', headers: signed.headers, body: text });
}

const bedrockBody = (content: string, extra: Record<string, unknown> = {}) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: user(content), ...extra });
const path = (suffix: string) => `/model/${encodeURIComponent(MODEL)}/${suffix}`;

describe('InvokeModel', () => {
  it('the SDK: path from the model, no model/stream in the body, usage incl. cache read/write, usage headers', async () => {
    mock.reset();
    const messages = user('Hello mock:tokens=5 mock:cached=30 mock:cache-write=7');
    const { data, response } = await client().messages.create({ model: MODEL, max_tokens: 64, messages }).withResponse();
    const call = mock.calls[0]!;
    expect(decodeURIComponent(call.path)).toBe(`/model/${MODEL}/invoke`);
    // The SDK (1.x) puts its anthropic-version header date in the body, which Bedrock must take.
    expect((call.body as { anthropic_version: string }).anthropic_version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(call.body).not.toHaveProperty('model');
    expect(call.body).not.toHaveProperty('stream');
    expect(String(call.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIASTIPENDTEST00001\/\d{8}\/eu-central-1\/bedrock\/aws4_request/);
    expect(data.model).toBe('claude-sonnet-4-5-20250929');
    expect(data.content).toEqual([{ type: 'text', text: outputText(5) }]);
    expect(data.usage).toMatchObject({ input_tokens: countInputTokens(messages), cache_read_input_tokens: 30, cache_creation_input_tokens: 7, output_tokens: 5 });
    expect(response.headers.get('x-amzn-bedrock-input-token-count')).toBe(String(countInputTokens(messages)));
    expect(response.headers.get('x-amzn-bedrock-output-token-count')).toBe('5');
    expect(response.headers.get('x-amzn-bedrock-cache-read-input-token-count')).toBe('30');
    expect(response.headers.get('x-amzn-bedrock-cache-write-input-token-count')).toBe('7');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a Bedrock API key (bearer) works instead of SigV4; a wrong one is refused', async () => {
    const keyed = new AnthropicBedrock({ apiKey: 'bedrock-api-key-test', awsRegion: 'eu-central-1', baseURL: mock.url, maxRetries: 0 });
    expect((await keyed.messages.create({ model: MODEL, max_tokens: 5, messages: user('mock:tokens=2') })).usage.output_tokens).toBe(2);
    const wrong = new AnthropicBedrock({ apiKey: 'nope', awsRegion: 'eu-central-1', baseURL: mock.url, maxRetries: 0 });
    await expect(wrong.messages.create({ model: MODEL, max_tokens: 5, messages: user('x') })).rejects.toMatchObject({ status: 403 });
  });
});

describe('InvokeModelWithResponseStream', () => {
  it('the SDK stream helper: text and usage as from Anthropic', async () => {
    const stream = client().messages.stream({ model: MODEL, max_tokens: 100, messages: user('Stream mock:tokens=6 mock:cached=4') });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: outputText(6) }]);
    expect(final.usage).toMatchObject({ output_tokens: 6, cache_read_input_tokens: 4 });
  });

  it('raw: event-stream frames with chunk headers; bytes are Anthropic events; metrics in message_stop', async () => {
    const res = await signedFetch(path('invoke-with-response-stream'), bedrockBody('mock:tokens=3 mock:cached=9 mock:cache-write=2'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const decoder = createEventStreamDecoder();
    const messages = decoder.push(new Uint8Array(await res.arrayBuffer()));
    decoder.end();
    expect(messages.every((m) => stringHeader(m, ':event-type') === 'chunk' && stringHeader(m, ':message-type') === 'event' && stringHeader(m, ':content-type') === 'application/json')).toBe(true);
    const events = messages.map((m) => JSON.parse((interpretBedrockMessage(m) as { json: string }).json) as Record<string, any>);
    expect(events.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const input = countInputTokens(user('mock:tokens=3 mock:cached=9 mock:cache-write=2'));
    expect(events.at(-1)!['amazon-bedrock-invocationMetrics']).toMatchObject({ inputTokenCount: input, outputTokenCount: 3, cacheReadInputTokenCount: 9, cacheWriteInputTokenCount: 2 });
    expect(events.at(-1)!['amazon-bedrock-invocationMetrics'].invocationLatency).toBeGreaterThanOrEqual(0);
  });

  it('mock:drop-after cuts the binary stream mid-way; the SDK stream errors', async () => {
    const stream = client().messages.stream({ model: MODEL, max_tokens: 100, messages: user('mock:tokens=20 mock:drop-after=3 mock:delay=2') });
    let texts = 0;
    stream.on('text', () => texts++);
    stream.on('error', () => undefined);
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(texts).toBe(3);
  });
});

describe('refusals as AWS answers them', () => {
  it('a wrong secret → 403 InvalidSignatureException (x-amzn-ErrorType)', async () => {
    const error = await client('wrong-secret').messages.create({ model: MODEL, max_tokens: 5, messages: user('x') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, error: { message: expect.stringContaining('The request signature we calculated does not match') } });
    expect((error as { headers: Headers }).headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException:/);
  });

  it('a signature dated 10 minutes ago → 403 Signature expired; unsigned → 403 Missing Authentication Token', async () => {
    const old = await signedFetch(path('invoke'), bedrockBody('x'), new Date(Date.now() - 10 * 60_000));
    expect(old.status).toBe(403);
    expect(((await old.json()) as { message: string }).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const unsigned = await fetch(`${mock.url}${path('invoke')}`, { method: 'POST', body: JSON.stringify(bedrockBody('x')) });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException/);
  });

  it('a body with model/stream or without anthropic_version → 400 ValidationException in Bedrock words', async () => {
    const res = await signedFetch(path('invoke'), { model: 'x', stream: true, max_tokens: 5, messages: user('x') });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect(((await res.json()) as { message: string }).message).toBe(
      'Malformed input request: #: required key [anthropic_version] not found#: extraneous key [model] is not permitted#: extraneous key [stream] is not permitted, please reformat your input and try again.',
    );
    const badModel = await signedFetch('/model/amazon.titan-text-express-v1/invoke', bedrockBody('x'));
    expect(badModel.status).toBe(400);
    expect(await badModel.json()).toEqual({ message: 'The provided model identifier is invalid.' });
  });

  it('directive errors map to Bedrock exceptions (429 ThrottlingException)', async () => {
    const error = await client().messages.create({ model: MODEL, max_tokens: 5, messages: user('mock:status=429') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect((error as { headers: Headers }).headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
  });

  it('model ids: base ids, cross-region profiles, ARNs', () => {
    expect(anthropicModelOf('anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5-20251001');
    expect(anthropicModelOf('global.anthropic.claude-opus-4-5-20251101-v1:0')).toBe('claude-opus-4-5-20251101');
    expect(anthropicModelOf('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5-20250929');
    expect(anthropicModelOf('meta.llama3-70b-instruct-v1:0')).toBeUndefined();
  });
});
