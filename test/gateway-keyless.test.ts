// Keyless upstream credentials, as a gateway on EKS, AKS or GKE gets them from its pod's
// identity: STS AssumeRoleWithWebIdentity (IRSA) and the EKS Pod Identity agent for
// Bedrock, Entra ID with the federated token (AKS workload identity) for Azure OpenAI,
// Application Default Credentials through the GCE metadata server (GKE Workload Identity)
// for Vertex AI — each through the official SDK against the gateway and the stand-ins, on
// one injected clock shared by the gateway's upstreams and the stand-ins. Credentials are
// refreshed before they expire without a restart (one fetch for concurrent requests), the
// projected token is re-read from disk, a credential service that refuses or is down gives
// the caller a clear 502 / 503 with nothing charged and the platform team a log line that
// says what to fix, and no token or key reaches a log line.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AWS_ROLE_ARN, TEST_ENTRA_CLIENT, TEST_GCP_PROJECT } from '../src/mock-provider/cloud/cloud-options.ts';
import { AZURE_FEDERATION_AUDIENCE, POD_IDENTITY_AUDIENCE, STS_AUDIENCE } from '../src/mock-provider/cloud/workload-issuer.ts';
import type { MockProvider } from '../src/mock-provider/mock-provider.ts';
import { ADA, cloudPolicy, cloudSetup, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow } from './support/ledger-queries.ts';

const MINUTE = 60_000;
const clock = { t: Date.UTC(2026, 10, 30, 9) };
const CLOSED_PORT = 55799; // in this suite's range; nothing listens there

let h: Harness;
let setup: CloudSetup;
let tokens: string;
const logLines: string[] = [];
/** Every projected token this suite wrote: none may be logged. */
const written: string[] = [];

const tokenFile = (name: string) => join(tokens, name);
function writeToken(mock: MockProvider, name: string, audience: string, options: { subject?: string; lifetimeSeconds?: number; now?: number } = {}): string {
  const token = mock.workloadToken({ audience, ...options });
  writeFileSync(tokenFile(name), `${token}\n`);
  written.push(token);
  return token;
}

const savedEnv = { GCE_METADATA_HOST: process.env.GCE_METADATA_HOST, CLOUDSDK_CONFIG: process.env.CLOUDSDK_CONFIG, GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS };

beforeAll(async () => {
  tokens = mkdtempSync(join(tmpdir(), 'stipend-projected-'));
  // ADC must find the metadata server, not a developer's gcloud login or key file.
  process.env.CLOUDSDK_CONFIG = tokens;
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  h = await startHarness({
    resources: cloudPolicy(),
    logLines,
    mock: { cloud: { now: () => clock.t } },
    gateway: { upstreamClock: () => clock.t },
    envFor: (mock) => {
      process.env.GCE_METADATA_HOST = new URL(mock.url).host;
      // Valid for a day (EKS projects 24-hour tokens): the clock moves hours through this suite.
      const day = { lifetimeSeconds: 86_400 };
      writeToken(mock, 'aws-token', STS_AUDIENCE, day);
      writeToken(mock, 'pod-identity-token', POD_IDENTITY_AUDIENCE, day);
      writeToken(mock, 'azure-token', AZURE_FEDERATION_AUDIENCE, day);
      writeToken(mock, 'azure-other-token', AZURE_FEDERATION_AUDIENCE, { subject: 'system:serviceaccount:other:someone-else', ...day });
      const models = { 'claude-sonnet-4-6': 'global.anthropic.claude-sonnet-4-6-v1:0' };
      setup = cloudSetup(mock, {
        upstreams: [
          // Role and token file from the environment, as EKS injects them.
          { kind: 'bedrock', name: 'bedrock-irsa', region: 'us-east-1', endpoint: mock.url, models, auth: { webIdentity: { stsEndpoint: mock.url } } },
          { kind: 'bedrock', name: 'bedrock-pod', region: 'us-east-1', endpoint: mock.url, models: { 'claude-haiku-4-5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }, auth: { podIdentity: { credentialsUri: `${mock.url}/v1/credentials`, authorizationTokenFile: tokenFile('pod-identity-token') } } },
          { kind: 'bedrock', name: 'bedrock-sts-down', region: 'us-east-1', endpoint: mock.url, models: { 'claude-sonnet-4-5': 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' }, auth: { webIdentity: { stsEndpoint: `http://127.0.0.1:${CLOSED_PORT}` } } },
          { kind: 'azure-openai', name: 'azure-wi', endpoint: mock.url, apiVersion: '2025-04-01-preview', auth: { workloadIdentity: {} } },
          { kind: 'azure-openai', name: 'azure-unfederated', endpoint: mock.url, apiVersion: '2025-04-01-preview', auth: { workloadIdentity: { tokenFile: tokenFile('azure-other-token') } } },
          { kind: 'vertex-ai', name: 'vertex-adc', project: TEST_GCP_PROJECT, location: 'us-east5', endpoint: mock.url, auth: { applicationDefault: {} } },
        ],
        routes: [
          { models: ['anthropic/claude-sonnet-4-6'], upstream: 'bedrock-irsa' },
          { models: ['anthropic/claude-haiku-4-5'], upstream: 'bedrock-pod' },
          { models: ['anthropic/claude-sonnet-4-5'], upstream: 'bedrock-sts-down' },
          { models: ['openai/gpt-4o-mini'], upstream: 'azure-wi' },
          { models: ['openai/gpt-4o'], upstream: 'azure-unfederated' },
          { models: ['anthropic/claude-opus-*'], upstream: 'vertex-adc' },
        ],
      });
      return {
        ...setup.env,
        AWS_ROLE_ARN: TEST_AWS_ROLE_ARN,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile('aws-token'),
        AZURE_CLIENT_ID: TEST_ENTRA_CLIENT.clientId,
        AZURE_TENANT_ID: TEST_ENTRA_CLIENT.tenantId,
        AZURE_FEDERATED_TOKEN_FILE: tokenFile('azure-token'),
        AZURE_AUTHORITY_HOST: mock.url,
        LOG_LEVEL: 'debug',
      };
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
  rmSync(tokens, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const user = (content: string) => [{ role: 'user' as const, content }];
const requestIdOf = (error: unknown) => (error as { headers: Headers }).headers.get('x-request-id')!;
const stsCalls = () => h.mock.calls.filter((c) => c.path === '/' && c.method === 'POST').map((c) => new URLSearchParams(String(c.body)));
const bedrockCalls = (model: string) => h.mock.calls.filter((c) => c.path.startsWith('/model/') && c.path.includes(model));
const entraCalls = () => h.mock.calls.filter((c) => c.path.endsWith('/oauth2/v2.0/token')).map((c) => new URLSearchParams(String(c.body)));
const metadataTokenCalls = () => h.mock.calls.filter((c) => c.path.endsWith('/service-accounts/default/token'));
const sonnet = () => h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('hi mock:tokens=2') });
const accessKeyOf = (call: { headers: Readonly<Record<string, unknown>> }) => /Credential=([A-Z0-9]+)\//.exec(String(call.headers.authorization))?.[1];

describe('Bedrock with IRSA (STS AssumeRoleWithWebIdentity)', () => {
  it('signs with the temporary credentials and their session token; usage is priced and booked', async () => {
    const { data, response } = await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('Hello mock:tokens=3') }).withResponse();
    expect(data.usage.output_tokens).toBe(3);
    const [sts] = stsCalls();
    expect(Object.fromEntries(sts!)).toMatchObject({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: TEST_AWS_ROLE_ARN, RoleSessionName: 'stipend-bedrock-irsa', DurationSeconds: '3600' });
    expect(sts!.get('WebIdentityToken')).toBe(written[0]);
    const call = bedrockCalls('sonnet-4-6').at(-1)!;
    expect(accessKeyOf(call)).toMatch(/^ASIA/);
    expect(String(call.headers['x-amz-security-token'])).toMatch(/^IQoJ/);
    expect(String(call.headers.authorization)).toContain('x-amz-security-token'); // signed, not just sent
    expect(await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!)).toMatchObject({ upstream: 'bedrock-irsa', platform: 'bedrock', output_tokens: 3, pricing_status: 'priced' });

    const stream = h.anthropic(ADA).messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('Stream mock:tokens=4') });
    expect((await stream.finalMessage()).usage.output_tokens).toBe(4);
    expect(stsCalls()).toHaveLength(1);
  });

  it('refreshes 5 minutes before Expiration, on the clock, with one STS call for concurrent requests', async () => {
    const before = stsCalls().length;
    const firstKey = accessKeyOf(bedrockCalls('sonnet-4-6').at(-1)!);
    clock.t += 54 * MINUTE;
    await sonnet();
    expect(stsCalls()).toHaveLength(before);
    clock.t += 2 * MINUTE; // 56 minutes: inside the refresh window
    const answers = await Promise.all(Array.from({ length: 6 }, () => sonnet()));
    expect(answers.every((a) => a.usage.output_tokens === 2)).toBe(true);
    expect(stsCalls()).toHaveLength(before + 1);
    const keys = new Set(bedrockCalls('sonnet-4-6').slice(-6).map(accessKeyOf));
    expect(keys.size).toBe(1);
    expect(keys.has(firstKey)).toBe(false);
  });

  it('reads the projected token again at every refresh (the kubelet rotates it)', async () => {
    const rotated = writeToken(h.mock, 'aws-token', STS_AUDIENCE);
    clock.t += 56 * MINUTE;
    await sonnet();
    expect(stsCalls().at(-1)!.get('WebIdentityToken')).toBe(rotated);
  });

  it('an expired projected token: STS refuses, the caller gets 502 uncharged, the log says what to check; a fresh token recovers without a restart', async () => {
    writeToken(h.mock, 'aws-token', STS_AUDIENCE, { now: clock.t - 3 * 60 * MINUTE, lifetimeSeconds: 3600 });
    clock.t += 61 * MINUTE; // the last credentials have expired: nothing to fall back on
    const error = await sonnet().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: 502, error: { error: { type: 'api_error', message: expect.stringContaining('could not be authenticated to') } } });
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ http_status: 502, cost_nanos: 0n, upstream: 'bedrock-irsa' });
    const line = logLines.find((l) => l.includes('bedrock-irsa') && l.includes('ExpiredTokenException'));
    expect(line).toContain('trust policy');

    writeToken(h.mock, 'aws-token', STS_AUDIENCE);
    expect((await sonnet()).usage.output_tokens).toBe(2);
  });

  it('STS unreachable: 503 with Retry-After, uncharged; the log names the endpoint', async () => {
    const error = await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, error: { error: { message: expect.stringContaining('Retry shortly') } } });
    expect((error as { headers: Headers }).headers.get('retry-after')).toBe('5');
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ cost_nanos: 0n, upstream: 'bedrock-sts-down' });
    expect(logLines.some((l) => l.includes('bedrock-sts-down') && l.includes(`127.0.0.1:${CLOSED_PORT}`) && l.includes('could not be reached'))).toBe(true);
  });
});

describe('Bedrock with EKS Pod Identity', () => {
  it("gets credentials from the agent with the pod's token and signs with them", async () => {
    const ok = await h.anthropic(ADA).messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: user('hi mock:tokens=2') });
    expect(ok.usage.output_tokens).toBe(2);
    const agent = h.mock.calls.filter((c) => c.path === '/v1/credentials').at(-1)!;
    expect(agent.headers.authorization).toBe(written[1]);
    const call = bedrockCalls('haiku').at(-1)!;
    expect(accessKeyOf(call)).toMatch(/^ASIA/);
    expect(call.headers['x-amz-security-token']).toBeDefined();
  });
});

describe('Azure OpenAI with AKS workload identity', () => {
  const openai = () => new OpenAI({ apiKey: h.keys[ADA]!, baseURL: `${h.url}/v1`, maxRetries: 0 });

  it('exchanges the federated token for an Entra ID token (no client secret), and again from the rotated file before expiry', async () => {
    const ok = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: user('hi mock:tokens=2') });
    expect(ok.usage?.completion_tokens).toBe(2);
    const first = entraCalls().at(-1)!;
    expect(first.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(first.get('client_assertion')).toBe(written[2]);
    expect(first.has('client_secret')).toBe(false);
    expect(first.get('scope')).toBe('https://cognitiveservices.azure.com/.default');

    const calls = entraCalls().length;
    const rotated = writeToken(h.mock, 'azure-token', AZURE_FEDERATION_AUDIENCE);
    clock.t += 56 * MINUTE;
    await Promise.all([1, 2, 3].map(() => openai().chat.completions.create({ model: 'gpt-4o-mini', messages: user('hi mock:tokens=1') })));
    expect(entraCalls()).toHaveLength(calls + 1);
    expect(entraCalls().at(-1)!.get('client_assertion')).toBe(rotated);
  });

  it('a token whose subject has no federated credential: 502 uncharged; the log names the AADSTS code and what to check', async () => {
    const error = await openai().chat.completions.create({ model: 'gpt-4o', messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'upstream_error' });
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ http_status: 502, cost_nanos: 0n, upstream: 'azure-unfederated' });
    const line = logLines.find((l) => l.includes('azure-unfederated') && l.includes('AADSTS70021'));
    expect(line).toContain('federated credential');
  });
});

describe('Vertex AI with Application Default Credentials (GKE metadata server)', () => {
  const opus = () => h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 10, messages: user('hi mock:tokens=2') });

  it('takes its token from the metadata server and refreshes it before expiry', async () => {
    expect((await opus()).usage.output_tokens).toBe(2);
    const calls = metadataTokenCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)!.headers['metadata-flavor']).toBe('Google');
    const n = calls.length;
    clock.t += 50 * MINUTE;
    await opus();
    expect(metadataTokenCalls()).toHaveLength(n);
    clock.t += 6 * MINUTE;
    await Promise.all([opus(), opus(), opus()]);
    expect(metadataTokenCalls()).toHaveLength(n + 1);
  });

  it('metadata server gone: 503 uncharged and a log line; back, it recovers without a restart', async () => {
    const host = process.env.GCE_METADATA_HOST;
    process.env.GCE_METADATA_HOST = `127.0.0.1:${CLOSED_PORT}`;
    clock.t += 61 * MINUTE;
    try {
      const error = await opus().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503 });
      expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ cost_nanos: 0n, upstream: 'vertex-adc' });
      expect(logLines.some((l) => l.includes('vertex-adc') && l.includes('Application Default Credentials'))).toBe(true);
    } finally {
      process.env.GCE_METADATA_HOST = host;
    }
    expect((await opus()).usage.output_tokens).toBe(2);
  });
});

describe('the logs', () => {
  it('hold no projected token, session token, access token or signature', () => {
    const sessionTokens = h.mock.calls.map((c) => c.headers['x-amz-security-token']).filter((t): t is string => typeof t === 'string');
    const bearers = h.mock.calls.map((c) => /^Bearer (.+)$/.exec(String(c.headers.authorization ?? ''))?.[1]).filter((t): t is string => t !== undefined);
    expect(sessionTokens.length).toBeGreaterThan(0);
    expect(bearers.length).toBeGreaterThan(0);
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of [...written, ...sessionTokens, ...bearers, 'ya29.', 'Signature=', h.keys[ADA]!]) {
      expect(logLines.filter((l) => l.includes(secret)), secret.slice(0, 12)).toEqual([]);
    }
  });
});
