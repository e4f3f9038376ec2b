// The Gemini API through @google/genai, and its wire format raw: usage semantics
// (thoughts beside candidates, cached inside prompt), both stream framings, keys.
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GEMINI_API_KEY } from '../cloud/cloud-options.ts';
import { startMockProvider, type MockProvider } from '../mock-provider.ts';
import { outputText } from '../mock-text.ts';
import { promptTokens } from './gemini-generate.ts';

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider();
});
afterAll(() => mock.close());

const genai = (apiKey = TEST_GEMINI_API_KEY) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: mock.url } });
const contents = (text: string) => [{ role: 'user', parts: [{ text }] }];
const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': TEST_GEMINI_API_KEY }) =>
  fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('generateContent', () => {
  it('usage: prompt includes cached; thoughts are beside candidates; total sums all three', async () => {
    const body = { contents: contents('Hello mock:tokens=4 mock:cached=10'), systemInstruction: { parts: [{ text: 'Be brief.' }] } };
    const response = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: body.contents, config: { systemInstruction: 'Be brief.' } });
    expect(response.text).toBe(outputText(4));
    const prompt = promptTokens(body) + 10;
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: prompt, cachedContentTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 8, totalTokenCount: prompt + 4 + 8 });
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('maxOutputTokens bounds thoughts and text together; a cap spent on thinking leaves no candidates count', async () => {
    const capped = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'mock:tokens=50', config: { maxOutputTokens: 11 } });
    expect(capped.usageMetadata).toMatchObject({ thoughtsTokenCount: 8, candidatesTokenCount: 3 });
    expect(capped.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    const res = await post('/v1beta/models/gemini-2.5-pro:generateContent', { contents: contents('x'), generationConfig: { maxOutputTokens: 5 } });
    const json = (await res.json()) as { usageMetadata: Record<string, unknown>; candidates: { content: unknown }[] };
    expect(json.usageMetadata).not.toHaveProperty('candidatesTokenCount'); // proto3 JSON leaves zero out
    expect(json.usageMetadata.thoughtsTokenCount).toBe(5);
    expect(json.candidates[0]!.content).toEqual({ role: 'model' });
  });

  it('thinkingBudget 0 turns thinking off (refused on Pro); a non-thinking model reports no thoughts', async () => {
    const off = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'mock:tokens=2', config: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(off.usageMetadata?.thoughtsTokenCount).toBeUndefined();
    await expect(genai().models.generateContent({ model: 'gemini-2.5-pro', contents: 'x', config: { thinkingConfig: { thinkingBudget: 0 } } })).rejects.toMatchObject({ status: 400 });
    const old = await genai().models.generateContent({ model: 'gemini-2.0-flash', contents: 'mock:tokens=2' });
    expect(old.usageMetadata?.thoughtsTokenCount).toBeUndefined();
  });

  it('snake_case names are accepted as proto JSON allows; an unknown field is refused', async () => {
    const snake = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('mock:tokens=30'), generation_config: { max_output_tokens: 10, thinking_config: { thinking_budget: 0 } } });
    expect(((await snake.json()) as { usageMetadata: { candidatesTokenCount: number } }).usageMetadata.candidatesTokenCount).toBe(10);
    const unknown = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('x'), maxTokens: 3 });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "maxTokens": Cannot find field.' } });
  });
});

describe('streamGenerateContent', () => {
  it('the SDK (alt=sse): one chunk per token, the last with finishReason and the totals', async () => {
    mock.reset();
    const chunks = [];
    for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'mock:tokens=4' })) chunks.push(chunk);
    expect(mock.calls[0]!.path).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent');
    expect(chunks.map((c) => c.text ?? '').join('')).toBe(outputText(4));
    expect(chunks.at(-1)!.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)!.usageMetadata).toMatchObject({ candidatesTokenCount: 4, thoughtsTokenCount: 8 });
  });

  it('raw: alt=sse frames end in CRLF CRLF; without alt the stream is one JSON array', async () => {
    const sse = await (await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: contents('mock:tokens=2') })).text();
    expect(sse.split('\r\n\r\n').filter(Boolean).every((f) => f.startsWith('data: {'))).toBe(true);
    const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', { contents: contents('mock:tokens=2') });
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const array = JSON.parse(await res.text()) as { usageMetadata: { candidatesTokenCount: number } }[];
    expect(array).toHaveLength(3);
    expect(array.at(-1)!.usageMetadata.candidatesTokenCount).toBe(2);
  });

  it('mock:drop-after cuts the stream before the totals', async () => {
    const consume = async () => {
      for await (const _ of await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'mock:tokens=9 mock:drop-after=2' })) void _;
    };
    await expect(consume()).rejects.toThrow();
  });
});

describe('countTokens, models, keys, errors', () => {
  it('countTokens and the model list (paged)', async () => {
    const counted = await genai().models.countTokens({ model: 'gemini-2.5-flash', contents: 'count these words' });
    expect(counted.totalTokens).toBe(promptTokens({ contents: contents('count these words') }));
    const firstPage = (await (await fetch(`${mock.url}/v1beta/models?pageSize=2&key=${TEST_GEMINI_API_KEY}`)).json()) as { models: { name: string }[]; nextPageToken: string };
    expect(firstPage.models.map((m) => m.name)).toEqual(['models/gemini-2.0-flash', 'models/gemini-2.5-pro']);
    const next = (await (await fetch(`${mock.url}/v1beta/models?pageSize=2&pageToken=${firstPage.nextPageToken}&key=${TEST_GEMINI_API_KEY}`)).json()) as { models: { name: string }[] };
    expect(next.models[0]!.name).toBe('models/gemini-2.5-flash');
    const names = [];
    for await (const m of await genai().models.list()) names.push(m.name);
    expect(names).toContain('models/gemini-3-flash-preview');
  });

  it('no key → 403 PERMISSION_DENIED; a wrong key (header or ?key=) → 400 API_KEY_INVALID', async () => {
    const none = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('x') }, {});
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED', message: expect.stringContaining('unregistered callers') } });
    await expect(genai('wrong').models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })).rejects.toMatchObject({ status: 400 });
    const viaQuery = await post('/v1beta/models/gemini-2.5-flash:generateContent?key=wrong', { contents: contents('x') }, {});
    expect(await viaQuery.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT', details: expect.arrayContaining([expect.objectContaining({ reason: 'API_KEY_INVALID' })]) } });
  });

  it('an unknown model → 404; no contents → 400; a directive 429 → RESOURCE_EXHAUSTED', async () => {
    const unknown = await post('/v1beta/models/gemini-9:generateContent', { contents: contents('x') });
    expect(await unknown.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND', message: expect.stringContaining('models/gemini-9 is not found for API version v1beta') } });
    const empty = await post('/v1beta/models/gemini-2.5-flash:generateContent', {});
    expect(empty.status).toBe(400);
    await expect(genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'mock:status=429' })).rejects.toMatchObject({ status: 429 });
    const limited = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: contents('mock:status=429') });
    expect(await limited.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  });

  it("OpenAI's GET /v1/models still answers OpenAI clients", async () => {
    const res = await fetch(`${mock.url}/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(((await res.json()) as { object: string }).object).toBe('list');
  });
});
