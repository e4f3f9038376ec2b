// Vertex AI behind the gateway: Claude through the Anthropic SDK (rawPredict /
// streamRawPredict) and Gemini through @google/genai (generateContent on Vertex), with the
// gateway's service account exchanging signed assertions for access tokens at the
// stand-in's token endpoint. Regional locations cost 10 % more for Claude; Vertex's Gemini
// is priced by the operator's contract entry (the shipped catalog leaves it unpriced).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GCP_PROJECT } from '../src/mock-provider/cloud/cloud-options.ts';
import { countInputTokens, outputText } from '../src/mock-provider/mock-text.ts';
import { ADA, PAT, TIM, cloudPolicy, cloudSetup, genaiClient, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { ledgerCount, waitForLedgerRow } from './support/ledger-queries.ts';

let h: Harness;
let setup: CloudSetup;
beforeAll(async () => {
  h = await startHarness({
    resources: cloudPolicy(),
    envFor: (mock) => {
      setup = cloudSetup(mock);
      return setup.env;
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
});

const user = (content: string) => [{ role: 'user' as const, content }];
const vertexCalls = () => h.mock.calls.filter((c) => c.path.startsWith('/v1/projects/'));
const tokenCalls = () => h.mock.calls.filter((c) => c.path === '/token');
const requestIdOf = (error: unknown) => (error as { headers: Headers }).headers.get('x-request-id')!;

describe('Claude on Vertex AI through the Anthropic SDK', () => {
  it('rawPredict with an access token from the service account; one token serves many calls', async () => {
    const messages = user('Hello Vertex mock:tokens=4 mock:cached=5 mock:cache-write=2');
    const { data, response } = await h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 50, messages }).withResponse();
    expect(data.content).toEqual([{ type: 'text', text: outputText(4) }]);
    expect(data.usage).toMatchObject({ input_tokens: countInputTokens(messages), cache_read_input_tokens: 5, cache_creation_input_tokens: 2, output_tokens: 4 });
    const call = vertexCalls().at(-1)!;
    expect(call.path).toBe(`/v1/projects/${TEST_GCP_PROJECT}/locations/us-east5/publishers/anthropic/models/claude-opus-4-6:rawPredict`);
    expect(String(call.headers.authorization)).toMatch(/^Bearer ya29\.c\./);
    expect(call.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', max_tokens: 50 });
    expect(call.body).not.toHaveProperty('model');

    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-6', upstream: 'vertex-east5', platform: 'vertex-ai', pricing_status: 'priced' });
    // Opus 4.6 at a regional location (us-east5), per token: input 5,500 nanos, cache read 550, 5-minute write 6,875, output 27,500.
    expect(row!.cost_nanos).toBe(BigInt(data.usage.input_tokens * 5_500 + 5 * 550 + 2 * 6_875 + 4 * 27_500));

    const tokensBefore = tokenCalls().length;
    await h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 5, messages: user('again mock:tokens=1') });
    expect(tokenCalls().length).toBe(tokensBefore); // cached, not fetched per request
  });

  it('streamRawPredict: SSE passed through, streamed usage priced', async () => {
    const stream = h.anthropic(ADA).messages.stream({ model: 'claude-opus-4-6', max_tokens: 50, messages: user('Stream mock:tokens=7') });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(7);
    expect(vertexCalls().at(-1)!.path).toMatch(/claude-opus-4-6:streamRawPredict$/);
    const { response } = await stream.withResponse();
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, upstream: 'vertex-east5', output_tokens: 7, pricing_status: 'priced' });
    expect(row!.cost_nanos).toBe(BigInt(final.usage.input_tokens * 5_500 + 7 * 27_500));
  });

  it('a client that leaves mid-stream is charged for what was generated', async () => {
    const stream = h.anthropic(ADA).messages.stream({ model: 'claude-opus-4-6', max_tokens: 200, messages: user('Long mock:tokens=60 mock:delay=150') });
    const { response } = await stream.withResponse();
    let deltas = 0;
    await new Promise<void>((resolve) => {
      stream.on('text', () => {
        if (++deltas === 3) {
          stream.abort();
          resolve();
        }
      });
    });
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ upstream: 'vertex-east5', stream: true, pricing_status: 'estimated' });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(3);
    expect(row!.output_tokens).toBeLessThan(60);
  });

  it("Vertex's quota error reaches the SDK in Anthropic's shape; 402 and 403 stop before Vertex", async () => {
    const limited = await h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 5, messages: user('mock:status=429') }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ status: 429, error: { type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Quota exceeded') } } });
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(limited))).toMatchObject({ http_status: 429, cost_nanos: 0n });

    const before = vertexCalls().length;
    await expect(h.anthropic(TIM).messages.create({ model: 'claude-opus-4-6', max_tokens: 500, messages: user('hi') })).rejects.toMatchObject({ status: 402 });
    await expect(h.anthropic(PAT).messages.create({ model: 'claude-opus-4-6', max_tokens: 5, messages: user('hi') })).rejects.toMatchObject({ status: 403 });
    expect(vertexCalls().length).toBe(before);
  });
});

describe('Gemini on Vertex AI through @google/genai', () => {
  it('generateContent and streamGenerateContent: thoughts priced as output, once, at the contract price', async () => {
    const genai = genaiClient(h.url, h.keys[ADA]!);
    const { usageMetadata: usage, sdkHttpResponse } = await genai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'Hi Vertex mock:tokens=3 mock:cached=20' });
    expect(usage).toMatchObject({ candidatesTokenCount: 3, thoughtsTokenCount: 8, cachedContentTokenCount: 20, trafficType: 'ON_DEMAND' });
    expect(vertexCalls().at(-1)!.path).toBe(`/v1/projects/${TEST_GCP_PROJECT}/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent`);
    const row = await waitForLedgerRow(h.database.handle.db, sdkHttpResponse!.headers!['x-request-id']!);
    const prompt = usage!.promptTokenCount!;
    expect(row).toMatchObject({ provider: 'google', model: 'gemini-2.5-pro', upstream: 'vertex-east5', platform: 'vertex-ai', endpoint: 'generate_content' });
    expect(row).toMatchObject({ input_tokens: prompt - 20, cached_input_tokens: 20, output_tokens: 3 + 8, reasoning_tokens: 8, pricing_status: 'priced' });
    // The contract entry: input 1,250 nanos a token, cached 125, output 10,000 (thoughts included).
    expect(row!.cost_nanos).toBe(BigInt((prompt - 20) * 1_250 + 20 * 125 + 11 * 10_000));

    let text = '';
    for await (const chunk of await genai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Stream mock:tokens=5' })) text += chunk.text ?? '';
    expect(text).toBe(outputText(5));
    expect(vertexCalls().at(-1)!.path).toMatch(/gemini-2\.5-pro:streamGenerateContent$/);
    expect(await ledgerCount(h.database.handle.db)).toBeGreaterThan(0);
  });

  it('402 and 403 in Google’s shape before Vertex is called; a client that leaves mid-stream is charged the counts so far', async () => {
    const before = vertexCalls().length;
    await expect(genaiClient(h.url, h.keys[TIM]!).models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).rejects.toMatchObject({ status: 402 });
    await expect(genaiClient(h.url, h.keys[PAT]!).models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).rejects.toMatchObject({ status: 403 });
    expect(vertexCalls().length).toBe(before);

    const abort = new AbortController();
    const res = await fetch(`${h.url}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': h.keys[ADA]! },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Long mock:tokens=80 mock:delay=100' }] }] }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let seen = '';
    while ((seen.match(/data: /g) ?? []).length < 3) seen += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const row = await waitForLedgerRow(h.database.handle.db, res.headers.get('x-request-id')!);
    expect(row).toMatchObject({ upstream: 'vertex-east5', stream: true, pricing_status: 'estimated' });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(8 + 3);
    expect(row!.output_tokens).toBeLessThan(80 + 8);
  });
});
