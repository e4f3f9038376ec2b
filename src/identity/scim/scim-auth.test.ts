import { describe, expect, it } from 'vitest';
import { bearerToken, createScimTokenCheck, tokenDigest } from './scim-auth.ts';

describe('SCIM bearer tokens', () => {
  const token = 'okta-connection-token-0123456789';
  it('accepts a configured token, or a token whose digest is configured', () => {
    expect(createScimTokenCheck([token])(token)).toBe(true);
    const byDigest = createScimTokenCheck(['another-token-0123456789abcdef', tokenDigest(token)]);
    expect(byDigest(token)).toBe(true);
    expect(byDigest(tokenDigest(token))).toBe(false); // the digest itself is not a credential
  });

  it('refuses other tokens, prefixes and extensions of a valid one', () => {
    const check = createScimTokenCheck([token]);
    for (const wrong of ['', 'x', token.slice(0, -1), `${token}x`, token.toUpperCase()]) expect(check(wrong)).toBe(false);
  });

  it('reads only Bearer credentials', () => {
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer   ${token}`)).toBe(token);
    expect(bearerToken(`Basic ${Buffer.from(`u:${token}`).toString('base64')}`)).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
