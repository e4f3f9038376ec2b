// The server itself: auth, bad input, recorded calls, dropped streams, delays, shutdown.
import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from './mock-provider.ts';
import { ANTHROPIC_AUTH, OPENAI_AUTH, anthropicClient, openAiClient, postRaw } from './mock-test-support.ts';

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider();
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];

describe('auth and bad input', () => {
  it('401 without credentials, in each provider shape, and the call is still recorded', async () => {
    mock.reset();
    const openai = new OpenAI({ apiKey: 'x', baseURL: `${mock.url}/v1`, maxRetries: 0, defaultHeaders: { authorization: null } });
    const error = await openai.chat.completions.create({ model: 'gpt-4o', messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const raw = await postRaw(`${mock.url}/v1/messages`, { model: 'claude-haiku-4-5', max_tokens: 5, messages: user('hi') }, { 'x-api-key': '' });
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(raw.headers.get('request-id')).toBe((JSON.parse(raw.text) as { request_id: string }).request_id);
    expect(mock.calls.map((c) => c.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
  });

  it('invalid JSON, a non-object body and a missing model are 400s; unknown routes 404', async () => {
    const post = (path: string, body: string, headers: Record<string, string>) =>
      fetch(`${mock.url}${path}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const bad = await post('/v1/chat/completions', '{"model":', OPENAI_AUTH);
    expect(bad).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
    expect(mock.calls.at(-1)!.body).toBe('{"model":');
    expect((await post('/v1/responses', '[1,2]', OPENAI_AUTH)).status).toBe(400);
    expect((await post('/v1/messages', 'null', ANTHROPIC_AUTH)).body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const noModel = await post('/v1/chat/completions', JSON.stringify({ messages: user('x') }), OPENAI_AUTH);
    expect(noModel).toMatchObject({ status: 400, body: { error: { message: 'you must provide a model parameter' } } });
    const noModelAnthropic = await post('/v1/messages', JSON.stringify({ max_tokens: 1, messages: user('x') }), ANTHROPIC_AUTH);
    expect(noModelAnthropic.body.error.message).toBe('model: Field required');
    expect((await post('/v1/chat/completion', '{}', OPENAI_AUTH)).status).toBe(404);
    expect((await fetch(`${mock.url}/v1/chat/completions`, { headers: OPENAI_AUTH })).status).toBe(404);
  });

  it('survives garbage: raw bytes on the socket, odd JSON values, an oversized body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(mock.url).port), '127.0.0.1', () => socket.end('\x00\x01 NOT HTTP\r\n\r\n'));
      socket.resume(); // read the 400 the server answers, so the close arrives
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    for (const body of [{ model: 'm', messages: [null, 3, { role: 'user', content: { weird: true } }] }, { model: 'm', messages: user('mock:status=abc mock:tokens=') }]) {
      expect((await postRaw(`${mock.url}/v1/chat/completions`, body, OPENAI_AUTH)).status).toBe(200);
    }
    const big = await fetch(`${mock.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI_AUTH, body: 'x'.repeat(33 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await openAiClient(mock).models.list()).data.length).toBeGreaterThan(0);
  });
});

describe('recorded calls', () => {
  it('method, path, model, stream flag, headers and body, in order; reset clears them', async () => {
    mock.reset();
    await openAiClient(mock).chat.completions.create({ model: 'gpt-4o-mini', messages: user('one') });
    await anthropicClient(mock).messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, stream: true, messages: user('two') }).then(async (s) => {
      for await (const _ of s) void _;
    });
    expect(mock.calls).toHaveLength(2);
    expect(mock.calls[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', model: 'gpt-4o-mini', stream: false, body: { messages: user('one') } });
    expect(mock.calls[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(mock.calls[1]).toMatchObject({ path: '/v1/messages', model: 'claude-haiku-4-5', stream: true });
    expect(mock.calls[1]!.headers['anthropic-version']).toBeTruthy();
    mock.reset();
    expect(mock.calls).toHaveLength(0);
  });
});

describe('directives', () => {
  it('mock:status gives the SDK the matching error class, with no usage', async () => {
    const cases = [
      [400, OpenAI.BadRequestError],
      [429, OpenAI.RateLimitError],
      [500, OpenAI.InternalServerError],
    ] as const;
    for (const [status, kind] of cases) {
      const error = await openAiClient(mock).chat.completions.create({ model: 'gpt-4o', stream: true, messages: user(`mock:status=${status}`) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(kind);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
      expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain('usage');
    }
  });

  it('mock:latency delays the headers; mock:delay spaces the chunks', async () => {
    let started = performance.now();
    await openAiClient(mock).chat.completions.create({ model: 'gpt-4o', messages: user('mock:latency=150') });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    const stream = anthropicClient(mock).messages.stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: user('mock:tokens=4 mock:delay=40') });
    await stream.finalMessage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 40 - 10);
  });
});
