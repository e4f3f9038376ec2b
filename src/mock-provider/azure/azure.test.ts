// Azure OpenAI through the official `openai` package's AzureOpenAI client (and the
// plain OpenAI client on the v1 surface): answers, usage, content-filter fields,
// Entra ID tokens, and the failures Azure answers with.
import { generateKeyPairSync } from 'node:crypto';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AZURE_API_KEY, TEST_ENTRA_CLIENT } from '../cloud/cloud-options.ts';
import { signJwt } from '../cloud/jwt.ts';
import { startMockProvider, type MockProvider } from '../mock-provider.ts';
import { parseSse } from '../mock-test-support.ts';
import { countInputTokens, outputText } from '../mock-text.ts';

let clock = Date.UTC(2026, 10, 30, 12);
const outsideIssuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ cloud: { now: () => clock, azure: { entraClients: [TEST_ENTRA_CLIENT], issuerKeys: [outsideIssuer.publicKey], deployments: { chat: 'gpt-4.1', 'gpt-5-mini': 'gpt-5-mini', embed: 'text-embedding-3-small' } } } });
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];
const azure = (opts: { apiVersion?: string; apiKey?: string; azureADTokenProvider?: () => Promise<string> } = {}) =>
  new AzureOpenAI({ endpoint: mock.url, apiVersion: opts.apiVersion ?? '2024-10-21', maxRetries: 0, ...(opts.azureADTokenProvider ? { azureADTokenProvider: opts.azureADTokenProvider } : { apiKey: opts.apiKey ?? TEST_AZURE_API_KEY }) });
const raw = (path: string, body: unknown, headers: Record<string, string> = { 'api-key': TEST_AZURE_API_KEY }) =>
  fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }));

describe('dated surface (/openai/deployments/{d}/…?api-version=)', () => {
  it('chat: the deployment path, usage as OpenAI, filter annotations on prompt and choices', async () => {
    mock.reset();
    const messages = user('Hi mock:tokens=5 mock:cached=2');
    const { data, response } = await azure().chat.completions.create({ model: 'chat', messages }).withResponse();
    expect(mock.calls[0]).toMatchObject({ path: '/openai/deployments/chat/chat/completions', model: 'chat' });
    expect(mock.calls[0]!.headers['api-key']).toBe(TEST_AZURE_API_KEY);
    expect(response.headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.model).toBe('gpt-4.1');
    expect(data.choices[0]!.message.content).toBe(outputText(5));
    expect(data.usage).toMatchObject({ prompt_tokens: countInputTokens(messages) + 2, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 2 } });
    const annotated = data as unknown as { prompt_filter_results: unknown[]; choices: { content_filter_results: Record<string, unknown> }[] };
    expect(annotated.prompt_filter_results[0]).toMatchObject({ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' }, jailbreak: { detected: false } } });
    expect(annotated.choices[0]!.content_filter_results).toMatchObject({ violence: { filtered: false, severity: 'safe' }, protected_material_text: { detected: false } });
  });

  it('chat streamed: a prompt-filter chunk first (empty id, no choices), annotated chunks, usage last', async () => {
    const stream = await azure().chat.completions.create({ model: 'gpt-5-mini', stream: true, stream_options: { include_usage: true }, messages: user('mock:tokens=3') });
    const chunks: any[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ id: '', object: '', model: '', created: 0, choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    const text = chunks.flatMap((c) => c.choices).map((c) => c.delta?.content ?? '').join('');
    expect(text).toBe(outputText(3));
    expect(chunks.find((c) => c.choices[0]?.delta?.content === 'Our').choices[0].content_filter_results).toMatchObject({ hate: { severity: 'safe' } });
    expect(chunks.some((c) => 'obfuscation' in c)).toBe(false);
    // gpt-5-mini reasons: completion_tokens includes the reasoning tokens, as at OpenAI.
    expect(chunks.at(-1).usage).toMatchObject({ completion_tokens: 3 + 8, completion_tokens_details: { reasoning_tokens: 8 } });
  });

  it('embeddings and the Responses API (2025-03-01-preview and later)', async () => {
    const emb = await azure().embeddings.create({ model: 'embed', input: ['one', 'two'] });
    expect(emb.data).toHaveLength(2);
    expect(emb.usage.prompt_tokens).toBe(2);
    const resp = await azure({ apiVersion: '2025-04-01-preview' }).responses.create({ model: 'chat', input: 'mock:tokens=4' });
    expect(resp.output_text).toBe(outputText(4));
    expect(resp.usage).toMatchObject({ output_tokens: 4 });
    expect(mock.calls.at(-1)!.path).toBe('/openai/responses');
    const old = await raw('/openai/responses?api-version=2024-10-21', { model: 'chat', input: 'x' });
    expect(old).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: 'API version not supported' } } });
  });

  it('api-version missing → 404 Resource not found; unknown or future → 400 API version not supported', async () => {
    const missing = await raw('/openai/deployments/chat/chat/completions', { messages: user('x') });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: '404', message: 'Resource not found' } } });
    for (const v of ['2099-01-01', 'banana', '2021-01-01']) {
      const bad = await raw(`/openai/deployments/chat/chat/completions?api-version=${v}`, { messages: user('x') });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: 'API version not supported' } } });
    }
    const error = await azure({ apiVersion: '2099-01-01' }).chat.completions.create({ model: 'chat', messages: user('x') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('unknown deployment → 404 DeploymentNotFound; embeddings on a chat deployment → 400 OperationNotSupported', async () => {
    const error = await azure().chat.completions.create({ model: 'nope', messages: user('x') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('DeploymentNotFound');
    const wrongKind = await raw('/openai/deployments/chat/embeddings?api-version=2024-10-21', { input: 'x' });
    expect(wrongKind).toMatchObject({ status: 400, body: { error: { code: 'OperationNotSupported' } } });
    expect(wrongKind.body.error.message).toContain('The embeddings operation does not work with the specified model, gpt-4.1');
  });

  it('credentials: a wrong key or none → 401 in Azure shape; directive 429 in Azure shape with retry-after', async () => {
    const wrong = await azure({ apiKey: 'nope' }).chat.completions.create({ model: 'chat', messages: user('x') }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).message).toContain('Access denied due to invalid subscription key');
    const none = await raw('/openai/deployments/chat/chat/completions?api-version=2024-10-21', { messages: user('x') }, {});
    expect(none).toMatchObject({ status: 401, body: { error: { code: '401', message: expect.stringContaining('missing subscription key') } } });
    const limited = await raw('/openai/deployments/chat/chat/completions?api-version=2024-10-21', { messages: user('mock:status=429') });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: '429' } } });
    expect(limited.headers.get('retry-after')).toBe('1');
  });
});

describe('v1 surface (/openai/v1/…)', () => {
  it('the plain OpenAI client with the key as bearer; no api-version needed; a dated one is refused', async () => {
    mock.reset();
    const client = new OpenAI({ baseURL: `${mock.url}/openai/v1`, apiKey: TEST_AZURE_API_KEY, maxRetries: 0 });
    const chat = await client.chat.completions.create({ model: 'chat', messages: user('mock:tokens=2') });
    expect(chat.choices[0]!.message.content).toBe(outputText(2));
    expect(mock.calls[0]).toMatchObject({ path: '/openai/v1/chat/completions' });
    const resp = await client.responses.create({ model: 'chat', input: 'mock:tokens=3' });
    expect(resp.usage?.output_tokens).toBe(3);
    const stream = await client.chat.completions.create({ model: 'chat', stream: true, messages: user('mock:tokens=2') });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    const dated = await raw('/openai/v1/chat/completions?api-version=2024-10-21', { model: 'chat', messages: user('x') });
    expect(dated).toMatchObject({ status: 400, body: { error: { message: 'API version not supported' } } });
    const unknown = await raw('/openai/v1/chat/completions', { model: 'missing', messages: user('x') });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'DeploymentNotFound' } } });
  });
});

describe('Entra ID', () => {
  const tokenUrl = () => `${mock.url}/${TEST_ENTRA_CLIENT.tenantId}/oauth2/v2.0/token`;
  const getToken = async (secret = TEST_ENTRA_CLIENT.clientSecret) => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_ENTRA_CLIENT.clientId, client_secret: secret, scope: 'https://cognitiveservices.azure.com/.default' });
    const res = await fetch(tokenUrl(), { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('client credentials → a bearer token the AzureOpenAI client uses; it expires', async () => {
    const issued = await getToken();
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3599 } });
    const client = azure({ azureADTokenProvider: async () => issued.body.access_token as string });
    mock.reset();
    const ok = await client.chat.completions.create({ model: 'chat', messages: user('mock:tokens=1') });
    expect(ok.choices[0]!.message.content).toBe(outputText(1));
    expect(mock.calls[0]!.headers.authorization).toBe(`Bearer ${issued.body.access_token}`);
    const saved = clock;
    clock += 3599_000 + 301_000; // past expiry and Entra's 5 minutes of skew
    try {
      const expired = await raw('/openai/deployments/chat/chat/completions?api-version=2024-10-21', { messages: user('x') }, { authorization: `Bearer ${issued.body.access_token}` });
      expect(expired).toMatchObject({ status: 401, body: { statusCode: 401, message: expect.stringContaining('Access token is missing, invalid, audience is incorrect') } });
    } finally {
      clock = saved;
    }
  });

  it('a JWT from a configured outside issuer passes; a wrong audience or an unknown signer does not', async () => {
    const iat = Math.floor(clock / 1000);
    const claims = { aud: 'https://cognitiveservices.azure.com', iat, nbf: iat, exp: iat + 600 };
    const call = (token: string) => raw('/openai/deployments/chat/chat/completions?api-version=2024-10-21', { messages: user('x') }, { authorization: `Bearer ${token}` });
    expect((await call(signJwt(claims, outsideIssuer.privateKey))).status).toBe(200);
    expect((await call(signJwt({ ...claims, aud: 'https://management.azure.com' }, outsideIssuer.privateKey))).status).toBe(401);
    expect((await call(signJwt(claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey))).status).toBe(401);
  });

  it('the token endpoint refuses a wrong secret, an unknown client or tenant', async () => {
    expect(await getToken('wrong')).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000215] } });
    const unknownTenant = await fetch(`${mock.url}/other-tenant/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(unknownTenant.status).toBe(400);
  });
});

describe('streams the OpenAI handlers cut still cut', () => {
  it('mock:drop-after ends the stream without [DONE]', async () => {
    const res = await fetch(`${mock.url}/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'api-key': TEST_AZURE_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: user('mock:tokens=9 mock:drop-after=2') }),
    });
    let text = '';
    const reader = res.body!.getReader();
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString();
        }
      })(),
    ).rejects.toThrow();
    const frames = parseSse(text);
    expect(frames[0]!.data).toContain('prompt_filter_results');
    expect(frames.some((f) => f.data === '[DONE]')).toBe(false);
  });
});
