import { describe, expect, it } from 'vitest';
import { cachedToken, type FetchedToken } from './token-source.ts';

const HOUR = 3_600_000;

function source(fetchToken: () => Promise<FetchedToken>, now: { t: number }, version = { v: 0 }) {
  return cachedToken(fetchToken, { now: () => now.t, credentialVersion: () => version.v });
}

describe('cachedToken', () => {
  it('fetches once, reuses the token, and refreshes 5 minutes before it expires', async () => {
    const now = { t: 0 };
    let n = 0;
    const tokens = source(async () => ({ token: `t${++n}`, expiresInMs: HOUR }), now);
    expect(await tokens.token()).toBe('t1');
    now.t = HOUR - 5 * 60_000 - 1;
    expect(await tokens.token()).toBe('t1');
    now.t = HOUR - 5 * 60_000;
    expect(await tokens.token()).toBe('t2');
    expect(n).toBe(2);
  });

  it('concurrent callers share one fetch', async () => {
    let n = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tokens = source(async () => {
      n++;
      await gate;
      return { token: 'shared', expiresInMs: HOUR };
    }, { t: 0 });
    const all = Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    release();
    expect(await all).toEqual(['shared', 'shared', 'shared']);
    expect(n).toBe(1);
  });

  it('a failed refresh keeps a token that has not expired; an expired one is not used', async () => {
    const now = { t: 0 };
    let fail = false;
    const tokens = source(async () => {
      if (fail) throw new Error('token endpoint down');
      return { token: 'old', expiresInMs: HOUR };
    }, now);
    await tokens.token();
    fail = true;
    now.t = HOUR - 60_000;
    expect(await tokens.token()).toBe('old');
    now.t = HOUR;
    await expect(tokens.token()).rejects.toThrow('token endpoint down');
  });

  it('a rotated credential drops the token it obtained', async () => {
    const version = { v: 0 };
    let n = 0;
    const tokens = source(async () => ({ token: `t${++n}`, expiresInMs: HOUR }), { t: 0 }, version);
    expect(await tokens.token()).toBe('t1');
    version.v = 1;
    expect(await tokens.token()).toBe('t2');
  });
});
