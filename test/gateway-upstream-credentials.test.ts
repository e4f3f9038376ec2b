// The gateway's own cloud credentials: a wrong one is refused by the stand-in as the real
// service refuses it, and the caller gets a 502 (their Stipend key is fine) with nothing
// charged; a rotated Secret file is used without a restart (on SIGHUP, or at the next
// periodic read); and no credential, token or signature ever reaches a log line.
import Anthropic from '@anthropic-ai/sdk';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AWS_CREDENTIAL, TEST_AZURE_API_KEY, TEST_ENTRA_CLIENT, TEST_GEMINI_API_KEY } from '../src/mock-provider/cloud/cloud-options.ts';
import { ADA, cloudPolicy, cloudSetup, genaiClient, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow } from './support/ledger-queries.ts';

let h: Harness;
let setup: CloudSetup;
let goodServiceAccount: string;
const logLines: string[] = [];
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

beforeAll(async () => {
  h = await startHarness({
    resources: cloudPolicy(),
    logLines,
    envFor: (mock) => {
      goodServiceAccount = JSON.stringify(mock.serviceAccountKey());
      setup = cloudSetup(mock, {
        // Every credential wrong at start: a stale secret, a key of another account.
        secrets: {
          'aws-secret-access-key': 'not/the/right/secret/0000000000000000000',
          'azure-key': 'stale-azure-key',
          'gemini-key': 'stale-gemini-key',
          'vertex-sa.json': JSON.stringify({ ...mock.serviceAccountKey(), private_key: foreignKey }),
        },
      });
      return { ...setup.env, LOG_LEVEL: 'debug', STIPEND_UPSTREAM_SECRETS_REFRESH_MS: '1000' };
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
});

const user = (content: string) => [{ role: 'user' as const, content }];
const requestIdOf = (error: unknown) => (error as { headers: Headers }).headers.get('x-request-id')!;
const sighup = () => process.emit('SIGHUP', 'SIGHUP');

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('a request signed or keyed wrong', () => {
  it('Bedrock refuses the signature; the caller gets 502 and is not charged; the rotated secret works at once on SIGHUP', async () => {
    const error = await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: 502, error: { type: 'error', error: { type: 'api_error', message: expect.stringContaining("upstream 'bedrock-us' refused") } } });
    const call = h.mock.calls.filter((c) => c.path.startsWith('/model/')).at(-1)!;
    expect(String(call.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 /); // it was sent, signed, and refused
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ http_status: 502, cost_nanos: 0n, upstream: 'bedrock-us' });
    expect(logLines.some((l) => l.includes('InvalidSignatureException') && l.includes('bedrock-us'))).toBe(true);

    setup.writeSecret('aws-secret-access-key', TEST_AWS_CREDENTIAL.secretAccessKey);
    sighup();
    const ok = await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('hi mock:tokens=2') });
    expect(ok.usage.output_tokens).toBe(2);
  });

  it('Azure refuses a stale api-key (502, uncharged); the rotated file is picked up by the periodic read', async () => {
    const error = await h.openai(ADA).chat.completions.create({ model: 'gpt-4o-mini', messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'upstream_error' });
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ http_status: 502, cost_nanos: 0n });
    setup.writeSecret('azure-key', TEST_AZURE_API_KEY);
    const ok = await eventually(() => h.openai(ADA).chat.completions.create({ model: 'gpt-4o-mini', messages: user('hi mock:tokens=2') }));
    expect(ok.usage?.completion_tokens).toBe(2);
  });

  it('the Gemini API refuses a stale key: 502 in Google’s shape; rotated, it works', async () => {
    const genai = genaiClient(h.url, h.keys[ADA]!);
    await expect(genai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).rejects.toMatchObject({ status: 502 });
    setup.writeSecret('gemini-key', TEST_GEMINI_API_KEY);
    sighup();
    expect((await genai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'mock:tokens=2' })).usageMetadata?.candidatesTokenCount).toBe(2);
  });

  it("Google's token endpoint refuses an assertion signed by another key: 502, uncharged; the right key file works without a restart", async () => {
    const error = await h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 10, messages: user('hi') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, error: { error: { type: 'api_error', message: expect.stringContaining('could not be authenticated to') } } });
    expect(await waitForLedgerRow(h.database.handle.db, requestIdOf(error))).toMatchObject({ http_status: 502, cost_nanos: 0n, upstream: 'vertex-east5' });
    expect(logLines.some((l) => l.includes('vertex-east5') && l.includes('Invalid JWT Signature'))).toBe(true);
    setup.writeSecret('vertex-sa.json', goodServiceAccount);
    sighup();
    const ok = await h.anthropic(ADA).messages.create({ model: 'claude-opus-4-6', max_tokens: 10, messages: user('hi mock:tokens=3') });
    expect(ok.usage.output_tokens).toBe(3);
  });
});

describe('the logs', () => {
  it('hold no credential, token or signature of any upstream, and no caller key', async () => {
    const privateKeyBody = foreignKey.split('\n')[5]!;
    const goodKeyBody = (JSON.parse(goodServiceAccount) as { private_key: string }).private_key.split('\n')[5]!;
    const forbidden = [
      TEST_AWS_CREDENTIAL.secretAccessKey,
      'not/the/right/secret',
      TEST_AZURE_API_KEY,
      'stale-azure-key',
      TEST_GEMINI_API_KEY,
      'stale-gemini-key',
      TEST_ENTRA_CLIENT.clientSecret,
      privateKeyBody,
      goodKeyBody,
      'ya29.',
      'Signature=',
      h.keys[ADA]!,
    ];
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of forbidden) expect(logLines.filter((l) => l.includes(secret)), secret).toEqual([]);
  });
});
