// Bad input gets a clear error in the shape the client expects, and nothing is charged.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { ledgerCount } from './support/ledger-queries.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { STIPEND_MAX_BODY_BYTES: String(64 * 1024) } });
});
afterAll(async () => h?.close());
beforeEach(() => h.mock.reset());

const ADA = 'ada@acme.example';

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.keys[ADA]}`, ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
}

async function expectNothingCharged() {
  expect(h.mock.calls).toHaveLength(0);
  expect(await ledgerCount(h.database.handle.db)).toBe(0);
  const open = await h.database.handle.db.selectFrom('reservations').selectAll().execute();
  expect(open).toHaveLength(0);
}

describe('bad input', () => {
  it('malformed JSON → 400 invalid_json in OpenAI shape, with a request id', async () => {
    const r = await post('/v1/chat/completions', '{"model": "gpt-4o-mini", "messages": [');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(r.body.error.message).toContain('JSON');
    expect(r.headers.get('x-request-id')).toBeTruthy();
    await expectNothingCharged();
  });

  it('malformed JSON on /v1/messages → Anthropic-shaped 400', async () => {
    const r = await post('/v1/messages', 'not json', { 'anthropic-version': '2023-06-01' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    await expectNothingCharged();
  });

  it('wrong types → 400 naming the field', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 42, messages: 'hi' }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.param).toBe('model');
    expect(r.body.error.message).toMatch(/model/);
    const m = await post('/v1/messages', JSON.stringify({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] }));
    expect(m.status).toBe(400);
    expect(m.body.error.message).toMatch(/max_tokens/);
    await expectNothingCharged();
  });

  it('unknown model → 404 model_not_found, the SDK raises NotFoundError', async () => {
    const error = await h
      .openai(ADA)
      .chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    await expectNothingCharged();
  });

  it('missing key → 401; unknown key → 401 in both SDK shapes', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mini', messages: [] }), { authorization: '' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('missing_api_key');
    const openai = new OpenAI({ apiKey: 'sk-stipend-nope', baseURL: `${h.url}/v1`, maxRetries: 0 });
    await expect(openai.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const anthropic = new Anthropic({ apiKey: 'sk-stipend-nope', baseURL: h.url, maxRetries: 0 });
    const error = await anthropic.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    await expectNothingCharged();
  });

  it('model not allowed → 403 before any reservation', async () => {
    const error = await h
      .openai('sam@acme.example')
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('model_not_allowed');
    const denied = await h
      .openai(ADA)
      .chat.completions.create({ model: 'openai/o1-pro', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.APIError);
    expect([403, 404]).toContain((denied as InstanceType<typeof OpenAI.APIError>).status);
    await expectNothingCharged();
    expect(await h.database.handle.db.selectFrom('wallets').selectAll().execute()).toHaveLength(0);
  });

  it('an unpriced model is blocked by default', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-brand-new', messages: [{ role: 'user', content: 'x' }] }));
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('model_unpriced');
    await expectNothingCharged();
  });

  it('oversized body → 413 in the client shape', async () => {
    const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
    const r = await post('/v1/chat/completions', big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('request_too_large');
    const a = await post('/v1/messages', big.replace('gpt-4o-mini', 'claude-sonnet-4-5'));
    expect(a.status).toBe(413);
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    await expectNothingCharged();
  });

  it('a revoked key stops working', async () => {
    const client = h.openai('grace@acme.example');
    await client.models.list();
    await revokeApiKeys(h.database.handle.db, { email: 'grace@acme.example' });
    // The revocation reaches the gateway by NOTIFY. The deadline is generous for a loaded machine;
    // how fast it lands is measured by `npm run bench` (bench/leaver-to-401.ts).
    const deadline = Date.now() + 20_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = await client.models.list().then(
        () => 200,
        (e: InstanceType<typeof OpenAI.APIError>) => e.status ?? 0,
      );
    }
    expect(status).toBe(401);
  });
});
