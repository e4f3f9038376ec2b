// The service account's access token, from the Vertex stand-in's token endpoint through
// google-auth-library: fetched once, refreshed before it expires (Date is faked so the
// library, the gateway and the stand-in share one clock), and re-fetched with a rotated key.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockProvider, type MockProvider } from '../../mock-provider/mock-provider.ts';
import { googleTokenSource } from './google-token.ts';
import { staticSecret, type Secret } from './secrets.ts';

let mock: MockProvider;
beforeAll(async () => {
  // Late-bound, so the stand-in follows the faked Date too.
  mock = await startMockProvider({ cloud: { now: () => Date.now() } });
});
afterAll(() => mock.close());
afterEach(() => vi.useRealTimers());

const tokenCalls = () => mock.calls.filter((c) => c.path === '/token').length;
const vertexAccepts = async (token: string) =>
  (await fetch(`${mock.url}/v1/projects/p/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{"messages":[]}' })).status;

describe('Google access tokens for Vertex AI', () => {
  it('one token until 5 minutes before it expires, then a new one; the old one is refused once expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 9) });
    const tokens = googleTokenSource({ upstream: 'vertex', serviceAccountKey: staticSecret(JSON.stringify(mock.serviceAccountKey()), 'test'), tokenUrl: `${mock.url}/token` }, { now: Date.now });
    const before = tokenCalls();
    const first = await tokens.token();
    expect(await tokens.token()).toBe(first);
    vi.setSystemTime(Date.now() + 54 * 60_000);
    expect(await tokens.token()).toBe(first);
    expect(await vertexAccepts(first)).toBe(200);
    vi.setSystemTime(Date.now() + 2 * 60_000); // 56 minutes in: inside the refresh window
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(tokenCalls()).toBe(before + 2);
    vi.setSystemTime(Date.now() + 5 * 60_000); // 61 minutes: the first has expired at the stand-in
    expect(await vertexAccepts(first)).toBe(401);
    expect(await vertexAccepts(second)).toBe(200);
  });

  it('a rotated key file drops the token the old key obtained', async () => {
    let version = 0;
    const key: Secret = { value: () => JSON.stringify(mock.serviceAccountKey()), version: () => version, source: 'test' };
    const tokens = googleTokenSource({ upstream: 'vertex', serviceAccountKey: key, tokenUrl: `${mock.url}/token` }, { now: Date.now });
    const first = await tokens.token();
    version = 1;
    expect(await tokens.token()).not.toBe(first);
  });
});
