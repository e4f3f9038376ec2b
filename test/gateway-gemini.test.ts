// Gemini's native API at the gateway, through @google/genai (which calls /v1/models/…) and
// raw REST (/v1beta/…, ?key=): generateContent, streamGenerateContent with alt=sse,
// countTokens and the model list, forwarded to the Gemini API stand-in. Usage priced from
// usageMetadata (cached inside the prompt, thoughts beside the candidates), errors in
// Google's shape, budgets, allow lists, a client that leaves mid-stream, and keys kept out
// of the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GEMINI_API_KEY } from '../src/mock-provider/cloud/cloud-options.ts';
import { outputText } from '../src/mock-provider/mock-text.ts';
import { ADA, PAT, TIM, cloudPolicy, cloudSetup, genaiClient, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { ledgerCount, waitForLedgerRow } from './support/ledger-queries.ts';

let h: Harness;
let setup: CloudSetup;
const logLines: string[] = [];
beforeAll(async () => {
  h = await startHarness({
    resources: cloudPolicy(),
    logLines,
    envFor: (mock) => {
      setup = cloudSetup(mock);
      return { ...setup.env, LOG_LEVEL: 'debug' };
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
});

const contents = (text: string) => [{ role: 'user', parts: [{ text }] }];
const geminiCalls = () => h.mock.calls.filter((c) => /^\/v1beta\/models\//.test(c.path));
const post = (path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
// gemini-2.5-flash, per token: input 300 nanos, cached 30, output (thoughts included) 2,500.
const flashCost = (prompt: number, cached: number, output: number) => BigInt((prompt - cached) * 300 + cached * 30 + output * 2_500);

describe('@google/genai against the gateway', () => {
  it('generateContent: forwarded to the Gemini API with the gateway key; cached and thoughts priced once each', async () => {
    const genai = genaiClient(h.url, h.keys[ADA]!);
    const response = await genai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello Gemini mock:tokens=4 mock:cached=12' });
    expect(response.text).toBe(outputText(4));
    const usage = response.usageMetadata!;
    expect(usage).toMatchObject({ cachedContentTokenCount: 12, candidatesTokenCount: 4, thoughtsTokenCount: 8 });
    // @google/genai 3.x calls /v1; the gateway calls the Gemini API's v1beta.
    expect(logLines.some((l) => l.includes('"url":"/v1/models/gemini-2.5-flash:generateContent"'))).toBe(true);
    const call = geminiCalls().at(-1)!;
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(call.headers['x-goog-api-key']).toBe(TEST_GEMINI_API_KEY);

    const row = await waitForLedgerRow(h.database.handle.db, response.sdkHttpResponse!.headers!['x-request-id']!);
    expect(row).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', endpoint: 'generate_content', upstream: 'gemini-api', platform: 'gemini', stream: false });
    expect(row).toMatchObject({ input_tokens: usage.promptTokenCount! - 12, cached_input_tokens: 12, output_tokens: 12, reasoning_tokens: 8, pricing_status: 'priced' });
    expect(row!.cost_nanos).toBe(flashCost(usage.promptTokenCount!, 12, 4 + 8));
  });

  it('streamGenerateContent (alt=sse): chunks relayed as they come, the totals priced', async () => {
    const genai = genaiClient(h.url, h.keys[ADA]!);
    let text = '';
    let last;
    let requestId: string | undefined;
    for await (const chunk of await genai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Stream mock:tokens=6' })) {
      text += chunk.text ?? '';
      last = chunk.usageMetadata;
      requestId ??= chunk.sdkHttpResponse?.headers?.['x-request-id'];
    }
    expect(text).toBe(outputText(6));
    expect(geminiCalls().at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    const row = await waitForLedgerRow(h.database.handle.db, requestId!);
    expect(row).toMatchObject({ stream: true, output_tokens: 6 + 8, reasoning_tokens: 8, pricing_status: 'priced' });
    expect(row!.cost_nanos).toBe(flashCost(last!.promptTokenCount!, 0, 14));
  });

  it('countTokens is forwarded and never booked; the model list shows only what the key may call', async () => {
    const rows = await ledgerCount(h.database.handle.db);
    const counted = await genaiClient(h.url, h.keys[ADA]!).models.countTokens({ model: 'gemini-2.5-flash', contents: 'count these words' });
    expect(counted.totalTokens).toBeGreaterThan(0);
    expect(geminiCalls().at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(await ledgerCount(h.database.handle.db)).toBe(rows);

    const names: string[] = [];
    for await (const m of await genaiClient(h.url, h.keys[ADA]!).models.list()) names.push(m.name!);
    expect(names).toContain('models/gemini-2.5-flash');
    expect(names).toContain('models/gemini-2.5-pro');
    expect(names.every((n) => n.startsWith('models/gemini-'))).toBe(true);
    const pat = (await (await fetch(`${h.url}/v1beta/models`, { headers: { 'x-goog-api-key': h.keys[PAT]! } })).json()) as { models: unknown[] };
    expect(pat.models).toEqual([]);
  });
});

describe('REST with ?key=, errors in Google’s shape', () => {
  it('the key in the query works and never reaches a log line', async () => {
    const key = h.keys[ADA]!;
    const res = await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${key}`, { contents: contents('mock:tokens=2') }, {});
    expect(res.status).toBe(200);
    await waitForLedgerRow(h.database.handle.db, res.headers.get('x-request-id')!);
    expect(logLines.some((l) => l.includes('generateContent?key=[redacted]'))).toBe(true);
    for (const secret of [key, TEST_GEMINI_API_KEY]) expect(logLines.some((l) => l.includes(secret))).toBe(false);
  });

  it('402 RESOURCE_EXHAUSTED (reason BUDGET_EXCEEDED), 403 PERMISSION_DENIED, 401 UNAUTHENTICATED, 404 — none reaches Google', async () => {
    const before = geminiCalls().length;
    const tight = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('hi'), generationConfig: { maxOutputTokens: 1000 } }, { 'x-goog-api-key': h.keys[TIM]! });
    expect(tight.status).toBe(402);
    expect(await tight.json()).toMatchObject({ error: { code: 402, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('Budget exceeded'), details: [{ reason: 'BUDGET_EXCEEDED' }] } });
    await expect(genaiClient(h.url, h.keys[PAT]!).models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).rejects.toMatchObject({ status: 403 });
    const denied = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('hi') }, { 'x-goog-api-key': h.keys[PAT]! });
    expect(await denied.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    const unknownKey = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('hi') }, { 'x-goog-api-key': 'sk-stipend-nope' });
    expect(await unknownKey.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    const unknownModel = await post('/v1beta/models/gemini-9-ultra:generateContent', { contents: contents('hi') }, { 'x-goog-api-key': h.keys[ADA]! });
    expect(unknownModel.status).toBe(403); // a gemini- name is Google's, unpriced, blocked
    const noSse = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', { contents: contents('hi') }, { 'x-goog-api-key': h.keys[ADA]! });
    expect(await noSse.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('alt=sse') } });
    const grounded = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('hi'), tools: [{ googleSearch: {} }] }, { 'x-goog-api-key': h.keys[ADA]! });
    expect(await grounded.json()).toMatchObject({ error: { code: 400, message: expect.stringContaining("'googleSearch'") } });
    expect(geminiCalls().length).toBe(before);
  });

  it("the Gemini API's own errors pass through in its shape, uncharged", async () => {
    const limited = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('mock:status=429') }, { 'x-goog-api-key': h.keys[ADA]! });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
    expect(await waitForLedgerRow(h.database.handle.db, limited.headers.get('x-request-id')!)).toMatchObject({ http_status: 429, cost_nanos: 0n });
  });

  it('a client that leaves mid-stream is charged for the counts so far', async () => {
    const abort = new AbortController();
    const res = await fetch(`${h.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': h.keys[ADA]! },
      body: JSON.stringify({ contents: contents('Long mock:tokens=80 mock:delay=100') }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let seen = '';
    while ((seen.match(/data: /g) ?? []).length < 3) seen += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const row = await waitForLedgerRow(h.database.handle.db, res.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, pricing_status: 'estimated', upstream: 'gemini-api' });
    // At least the thoughts and the candidates counted so far; far from the 80 asked for.
    expect(row!.output_tokens).toBeGreaterThanOrEqual(8 + 3);
    expect(row!.output_tokens).toBeLessThan(80 + 8);
  });
});
