// Embeddings (float and the SDK's default base64) and the models list, through the openai SDK.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS, embeddingVector } from './mock-openai-embeddings.ts';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { OPENAI_AUTH, openAiClient, postRaw } from './mock-test-support.ts';

let mock: MockProvider;
let client: OpenAI;
beforeAll(async () => {
  mock = await startMockProvider();
  client = openAiClient(mock);
});
afterAll(() => mock.close());

describe('embeddings', () => {
  it('the SDK asks for base64 by default and decodes the same vectors as float', async () => {
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    expect((mock.calls.at(-1)!.body as { encoding_format: string }).encoding_format).toBe('base64');
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'], encoding_format: 'float' });
    expect(decoded.data.map((d) => d.embedding)).toEqual(float.data.map((d) => d.embedding));
    expect(float.data.map((d) => d.index)).toEqual([0, 1]);
    expect(float.data[0]!.embedding).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(float.data[0]!.embedding).toEqual(embeddingVector('one', EMBEDDING_DIMENSIONS));
    expect(float.data[0]!.embedding).not.toEqual(float.data[1]!.embedding);
    // Unit vectors: cosine similarity works on them directly.
    expect(Math.hypot(...float.data[0]!.embedding)).toBeCloseTo(1, 5);
    expect(float.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it('base64 on the wire is float32 little-endian', async () => {
    const raw = await postRaw(`${mock.url}/v1/embeddings`, { model: 'e', input: 'abc', encoding_format: 'base64' }, OPENAI_AUTH);
    const b64 = (JSON.parse(raw.text) as { data: { embedding: string }[] }).data[0]!.embedding;
    const bytes = Buffer.from(b64, 'base64');
    const values = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(values).toEqual(embeddingVector('abc', EMBEDDING_DIMENSIONS));
  });

  it('token-array input and dimensions; usage counts tokens', async () => {
    const one = await client.embeddings.create({ model: 'e', input: [1, 2, 3], encoding_format: 'float', dimensions: 4 });
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.embedding).toHaveLength(4);
    expect(one.usage.prompt_tokens).toBe(3);
    const two = await client.embeddings.create({ model: 'e', input: [[1, 2], [3]], encoding_format: 'float' });
    expect(two.data).toHaveLength(2);
    expect(two.usage.prompt_tokens).toBe(3);
  });

  it('a directive in the last input drives errors here too', async () => {
    const error = await client.embeddings.create({ model: 'e', input: ['a', 'b mock:status=429'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('models', () => {
  it('lists models in OpenAI shape', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect(page.data.every((m) => m.object === 'model' && typeof m.created === 'number')).toBe(true);
  });
});
