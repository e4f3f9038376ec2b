// Vertex AI: the token endpoint through google-auth-library, Claude through
// @anthropic-ai/vertex-sdk, Gemini through @google/genai in Vertex mode.
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { generateKeyPairSync } from 'node:crypto';
import { GoogleGenAI } from '@google/genai';
import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GCP_PROJECT } from '../cloud/cloud-options.ts';
import { startMockProvider, type MockProvider } from '../mock-provider.ts';
import { countInputTokens, outputText } from '../mock-text.ts';
import { serviceAccountClient } from './google-test-support.ts';

let clock = Date.now();
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ cloud: { now: () => clock, google: { projects: [TEST_GCP_PROJECT] } } });
});
afterAll(() => mock.close());

const user = (content: string) => [{ role: 'user' as const, content }];
const CLAUDE = 'claude-sonnet-4-5@20250929';
const vertexClaude = (auth: JWT, projectId = TEST_GCP_PROJECT) => new AnthropicVertex({ region: 'us-east5', projectId, baseURL: `${mock.url}/v1`, authClient: auth as never, maxRetries: 0 });
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const claudePath = (method: string, project = TEST_GCP_PROJECT) => `/v1/projects/${project}/locations/us-east5/publishers/anthropic/models/${encodeURIComponent(CLAUDE)}:${method}`;

describe('token endpoint (service-account JWT bearer grant)', () => {
  it('google-auth-library gets an access token that expires in 3599 s', async () => {
    const auth = serviceAccountClient(mock);
    const credentials = await auth.authorize();
    expect(credentials.access_token).toMatch(/^ya29\.c\./);
    expect(credentials.token_type).toBe('Bearer');
    // The library turns expires_in (3599) into an expiry date.
    expect(credentials.expiry_date! - Date.now()).toBeGreaterThan(3_590_000);
    expect(credentials.expiry_date! - Date.now()).toBeLessThanOrEqual(3_599_000);
  });

  it('an assertion signed by another key → invalid_grant "Invalid JWT Signature."; an unknown account → account not found', async () => {
    const key = mock.serviceAccountKey();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const redirect: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace('https://oauth2.googleapis.com/token', key.token_uri), init);
    const forged = new JWT({ email: key.client_email, key: otherKey, scopes: ['https://www.googleapis.com/auth/cloud-platform'], transporterOptions: { fetchImplementation: redirect } });
    await expect(forged.getAccessToken()).rejects.toThrow(/invalid_grant: Invalid JWT Signature\./);
    const stranger = new JWT({ email: 'who@else.iam.gserviceaccount.com', key: key.private_key, scopes: ['x'], transporterOptions: { fetchImplementation: redirect } });
    await expect(stranger.getAccessToken()).rejects.toThrow(/account not found/);
    const badGrant = await fetch(`${mock.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
    expect(await badGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('Claude on Vertex (rawPredict / streamRawPredict)', () => {
  it('the SDK: model in the path, SSE stream, usage as from Anthropic', async () => {
    mock.reset();
    const messages = user('Hi mock:tokens=4 mock:cached=6');
    const message = await vertexClaude(serviceAccountClient(mock)).messages.create({ model: CLAUDE, max_tokens: 50, messages });
    expect(message.content).toEqual([{ type: 'text', text: outputText(4) }]);
    expect(message.usage).toMatchObject({ input_tokens: countInputTokens(messages), cache_read_input_tokens: 6, output_tokens: 4 });
    expect(decodeURIComponent(mock.calls.at(-1)!.path)).toBe(`/v1/projects/${TEST_GCP_PROJECT}/locations/us-east5/publishers/anthropic/models/${CLAUDE}:rawPredict`);
    expect(mock.calls.at(-1)!.body).not.toHaveProperty('model');
    const stream = vertexClaude(serviceAccountClient(mock)).messages.stream({ model: CLAUDE, max_tokens: 50, messages: user('mock:tokens=7') });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(7);
    expect(mock.calls.at(-1)!.path).toMatch(/:streamRawPredict$/);
  });

  it('anthropic_version: vertex-2023-10-16 accepted, a wrong one refused in Anthropic shape', async () => {
    const { token } = await serviceAccountClient(mock).getAccessToken();
    const ok = await post(claudePath('rawPredict'), { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages: user('mock:tokens=2') }, token!);
    expect(ok).toMatchObject({ status: 200, body: { usage: { output_tokens: 2 } } });
    const bad = await post(claudePath('rawPredict'), { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: user('x') }, token!);
    expect(bad).toMatchObject({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error' } } });
    const counted = await post(`/v1/projects/${TEST_GCP_PROJECT}/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict`, { model: CLAUDE, messages: user('count me') }, token!);
    expect(counted).toEqual({ status: 200, body: { input_tokens: countInputTokens(user('count me')) } });
  });

  it('no token, an unknown token, an expired token → 401 UNAUTHENTICATED; an unlisted project → 403', async () => {
    const body = { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages: user('x') };
    const none = await post(claudePath('rawPredict'), body);
    expect(none).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED', details: [{ reason: 'CREDENTIALS_MISSING' }] } } });
    const unknown = await post(claudePath('rawPredict'), body, 'ya29.made-up');
    expect(unknown).toMatchObject({ status: 401, body: { error: { status: 'UNAUTHENTICATED', message: expect.stringContaining('Request had invalid authentication credentials') } } });
    const { token } = await serviceAccountClient(mock).getAccessToken();
    const saved = clock;
    clock += 3600_000;
    try {
      const expired = await post(claudePath('rawPredict'), body, token!);
      expect(expired).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED', details: [{ reason: 'ACCESS_TOKEN_EXPIRED' }] } } });
    } finally {
      clock = saved;
    }
    const otherProject = await post(claudePath('rawPredict', 'someone-else'), body, token!);
    expect(otherProject).toMatchObject({ status: 403, body: { error: { status: 'PERMISSION_DENIED' } } });
    const narrow = await serviceAccountClient(mock, ['https://www.googleapis.com/auth/devstorage.read_only']).getAccessToken();
    expect(await post(claudePath('rawPredict'), body, narrow.token!)).toMatchObject({ status: 403, body: { error: { message: 'Request had insufficient authentication scopes.' } } });
  });
});

describe('Gemini on Vertex (generateContent / streamGenerateContent)', () => {
  const genai = () => new GoogleGenAI({ vertexai: true, project: TEST_GCP_PROJECT, location: 'us-central1', googleAuthOptions: { authClient: serviceAccountClient(mock) as never }, httpOptions: { baseUrl: mock.url } });

  it('@google/genai in Vertex mode: text, usage with trafficType, streamed usage', async () => {
    mock.reset();
    const response = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi mock:tokens=3' });
    expect(response.text).toBe(outputText(3));
    expect(response.usageMetadata).toMatchObject({ candidatesTokenCount: 3, thoughtsTokenCount: 8, trafficType: 'ON_DEMAND' });
    expect(mock.calls.at(-1)!.path).toBe(`/v1beta1/projects/${TEST_GCP_PROJECT}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`);
    let text = '';
    let last: unknown;
    for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'mock:tokens=5' })) {
      text += chunk.text ?? '';
      last = chunk.usageMetadata;
    }
    expect(text).toBe(outputText(5));
    expect(last).toMatchObject({ candidatesTokenCount: 5, thoughtsTokenCount: 8 });
    const counted = await genai().models.countTokens({ model: 'gemini-2.5-flash', contents: 'count' });
    expect(counted.totalTokens).toBeGreaterThan(0);
  });
});
