// The official OpenAI and Anthropic SDKs against the gateway, which forwards to the mock provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../src/pricing/catalog.ts';
import { costOf } from '../src/pricing/cost.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow, waitForNoReservations, walletsOf } from './support/ledger-queries.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const ADA = 'ada@acme.example';
const price = (model: string) => defaultCatalog().resolve(model)!.price!;

describe('OpenAI SDK through the gateway', () => {
  it('chat completion: relayed unchanged, ledger row priced from the reported usage', async () => {
    const { data, response } = await h
      .openai(ADA)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there mock:cached=3' }] })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBeTruthy();
    const requestId = response.headers.get('x-request-id')!;
    expect(response.headers.get('x-stipend-budget-remaining')).toMatch(/^\d+\.\d{6}$/);
    const row = await waitForLedgerRow(h.database.handle.db, requestId);
    const usage = data.usage!;
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached).toBe(3);
    expect(row).toMatchObject({
      email: ADA,
      team: 'acme/engineering',
      cost_center: 'CC-ENG-001',
      provider: 'openai',
      model: 'gpt-4o-mini',
      endpoint: 'chat.completions',
      stream: false,
      input_tokens: usage.prompt_tokens - cached,
      cached_input_tokens: cached,
      output_tokens: usage.completion_tokens,
      pricing_status: 'priced',
      http_status: 200,
    });
    const expected = costOf(price('gpt-4o-mini'), {
      inputTokens: usage.prompt_tokens - cached,
      cachedInputTokens: cached,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: usage.completion_tokens,
      reasoningTokens: 0,
    });
    expect(row.cost_nanos).toBe(expected);
    expect(expected).toBeGreaterThan(0n);
  });

  it('streaming chat without include_usage: the client sees no usage chunk, the ledger still has usage', async () => {
    const { data: stream, response: streamResponse } = await h.openai(ADA).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Stream please mock:tokens=7' }],
      stream: true,
    }).withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    const row = await waitForLedgerRow(h.database.handle.db, streamResponse.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, output_tokens: 7, pricing_status: 'priced' });
    expect(row.cost_nanos).toBeGreaterThan(0n);
  });

  it('streaming chat with include_usage: the client gets the usage chunk it asked for', async () => {
    const { data: stream, response: streamResponse } = await h.openai(ADA).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Count mock:tokens=5' }],
      stream: true,
      stream_options: { include_usage: true },
    }).withResponse();
    let usage;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBe(5);
    const row = await waitForLedgerRow(h.database.handle.db, streamResponse.headers.get('x-request-id')!);
    expect(row.input_tokens + row.cached_input_tokens).toBe(usage!.prompt_tokens);
  });

  it('responses API, standard and streamed', async () => {
    const client = h.openai(ADA);
    const { data, response } = await client.responses.create({ model: 'gpt-4.1', input: 'Say hi' }).withResponse();
    expect(data.output_text).toBeTruthy();
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ endpoint: 'responses', output_tokens: data.usage!.output_tokens, pricing_status: 'priced' });

    const { data: stream, response: streamResponse } = await client.responses.create({ model: 'gpt-4.1', input: 'Stream hi mock:tokens=4', stream: true }).withResponse();
    let completed;
    for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
    expect(completed?.usage?.output_tokens).toBe(4);
    const streamed = await waitForLedgerRow(h.database.handle.db, streamResponse.headers.get('x-request-id')!);
    expect(streamed).toMatchObject({ endpoint: 'responses', stream: true, output_tokens: 4, pricing_status: 'priced' });
  });

  it('embeddings are charged for input only', async () => {
    const { data, response } = await h
      .openai(ADA)
      .embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]?.embedding.length).toBeGreaterThan(0);
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ endpoint: 'embeddings', input_tokens: data.usage.prompt_tokens, output_tokens: 0, pricing_status: 'priced' });
  });

  it('lists only the models this key may call', async () => {
    const ada = (await h.openai(ADA).models.list()).data.map((m) => m.id);
    const sam = (await h.openai('sam@acme.example').models.list()).data.map((m) => m.id);
    expect(ada).toContain('claude-sonnet-4-5');
    expect(ada).toContain('gpt-4o-mini');
    expect(sam).toEqual(['gpt-4o-mini']);
  });
});

describe('providers', () => {
  it("Google models go to Gemini's OpenAI-compatible endpoint with the gateway's credential, never the client's key", async () => {
    h.mock.reset();
    const { response } = await h
      .openai(ADA)
      .chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', pricing_status: 'priced' });
    const call = h.mock.calls.at(-1)!;
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.headers.authorization).toBe('Bearer upstream-gemini-secret');
    expect(JSON.stringify(call.headers)).not.toContain(h.keys[ADA]!);
  });

  it('Anthropic calls carry x-api-key and anthropic-version upstream', async () => {
    h.mock.reset();
    await h.anthropic(ADA).messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    const call = h.mock.calls.at(-1)!;
    expect(call.headers['x-api-key']).toBe('sk-upstream-anthropic-secret');
    expect(call.headers['anthropic-version']).toBeTruthy();
    expect(call.headers.authorization).toBeUndefined();
  });
});

describe('Anthropic SDK through the gateway', () => {
  it('messages: standard, with cache tokens priced at their own rates', async () => {
    const { data, response } = await h
      .anthropic(ADA)
      .messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hello mock:cached=40' }] })
      .withResponse();
    expect(data.type).toBe('message');
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      provider: 'anthropic',
      endpoint: 'messages',
      input_tokens: data.usage.input_tokens,
      cached_input_tokens: data.usage.cache_read_input_tokens ?? 0,
      output_tokens: data.usage.output_tokens,
      pricing_status: 'priced',
    });
    expect(row.cached_input_tokens).toBe(40);
  });

  it('messages: streamed, usage from message_start and message_delta', async () => {
    const stream = h.anthropic(ADA).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Stream mock:tokens=9' }],
    });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(9);
    const { response } = await stream.withResponse();
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, output_tokens: 9, input_tokens: final.usage.input_tokens, pricing_status: 'priced' });
  });

  it('lists Anthropic models in Anthropic shape', async () => {
    const page = await h.anthropic(ADA).models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('claude-sonnet-4-5');
    expect(ids.every((id) => id.startsWith('claude'))).toBe(true);
  });
});

describe('wallet accounting', () => {
  it("every charge lands on the person's wallet and nothing stays reserved", async () => {
    // Not every request above waited for its row (settlement is asynchronous): all of them must be booked first.
    await waitForNoReservations(h.database.handle.db);
    const rows = await h.database.handle.db.selectFrom('usage_events').select(['cost_nanos', 'email']).where('email', '=', ADA).execute();
    const total = rows.reduce((sum, r) => sum + r.cost_nanos, 0n);
    const [wallet] = await walletsOf(h.database.handle.db, 'acme/eng-principal');
    expect(wallet?.spent_nanos).toBe(total);
    expect(wallet?.reserved_nanos).toBe(0n);
  });
});
