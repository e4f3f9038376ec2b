// The SigV4 verifier: AWS's published test-suite vector, requests signed by the AWS
// SDK's own signer (@smithy/signature-v4), and each way a request can be wrong.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/core/protocols';
import { describe, expect, it } from 'vitest';
import { canonicalQuery, canonicalUri, formatAmzDate, verifySigV4, type SignedRequest } from './sigv4-verify.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const CREDENTIAL = { accessKeyId: 'AKIDSTIPEND', secretAccessKey: 'secret/key+1' };
const expectation = { region: 'eu-west-1', service: 'bedrock', credentials: [CREDENTIAL], now: NOW };

async function signed(opts: { path?: string; query?: Record<string, string>; body?: string; signingDate?: Date; region?: string; service?: string; secret?: string; sessionToken?: string } = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: opts.service ?? 'bedrock',
    region: opts.region ?? 'eu-west-1',
    credentials: { accessKeyId: CREDENTIAL.accessKeyId, secretAccessKey: opts.secret ?? CREDENTIAL.secretAccessKey, ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}) },
    sha256: Sha256,
  });
  const body = opts.body ?? '{"max_tokens":5}';
  const path = opts.path ?? '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke';
  const request = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: 'bedrock-runtime.eu-west-1.amazonaws.com', path, query: opts.query ?? {}, headers: { host: 'bedrock-runtime.eu-west-1.amazonaws.com', 'content-type': 'application/json' }, body });
  const out = await signer.sign(request, { signingDate: opts.signingDate ?? new Date(NOW) });
  const headers = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  return { method: 'POST', url: `${path}${qs ? `?${qs}` : ''}`, headers, body: Buffer.from(body) };
}

describe('canonical request parts', () => {
  it('AWS test suite "get-vanilla": the published signature verifies', () => {
    const req: SignedRequest = {
      method: 'GET',
      url: '/',
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
      body: Buffer.alloc(0),
    };
    const result = verifySigV4(req, { region: 'us-east-1', service: 'service', credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }], now: Date.UTC(2015, 7, 30, 12, 36) });
    expect(result).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('paths are normalized and each segment encoded again; queries sorted and re-encoded', () => {
    expect(canonicalUri('/model/anthropic.claude-v1%3A0/invoke')).toBe('/model/anthropic.claude-v1%253A0/invoke');
    expect(canonicalUri('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalQuery('b=2&a=x y&a=1&c=%2F')).toBe('a=1&a=x%20y&b=2&c=%2F');
    expect(formatAmzDate(NOW)).toBe('20261130T120000Z');
  });
});

describe('requests signed by the AWS SDK signer', () => {
  it('verify, with an encoded model id, a query and temporary credentials', async () => {
    expect(verifySigV4(await signed(), expectation)).toEqual({ ok: true, accessKeyId: 'AKIDSTIPEND' });
    expect(verifySigV4(await signed({ query: { z: 'last one', a: 'first/' } }), expectation).ok).toBe(true);
    const withSession = { ...expectation, credentials: [{ ...CREDENTIAL, sessionToken: 'tok' }] };
    expect(verifySigV4(await signed({ sessionToken: 'tok' }), withSession).ok).toBe(true);
    expect(verifySigV4(await signed(), withSession)).toMatchObject({ ok: false, type: 'UnrecognizedClientException' });
  });

  it('a tampered body, path, header or query, or a wrong secret, is InvalidSignatureException', async () => {
    const base = await signed();
    const mismatch = { ok: false, status: 403, type: 'InvalidSignatureException', message: expect.stringContaining('does not match the signature you provided') };
    expect(verifySigV4({ ...base, body: Buffer.from('{"max_tokens":500}') }, expectation)).toEqual(mismatch);
    expect(verifySigV4({ ...base, url: base.url.replace('sonnet', 'opus') }, expectation)).toEqual(mismatch);
    expect(verifySigV4({ ...base, url: `${base.url}?extra=1` }, expectation)).toEqual(mismatch);
    expect(verifySigV4({ ...base, headers: { ...base.headers, 'content-type': 'text/plain' } }, expectation)).toEqual(mismatch);
    expect(verifySigV4(await signed({ secret: 'wrong' }), expectation)).toEqual(mismatch);
  });

  it('a signature older or newer than 5 minutes is refused with AWS wording', async () => {
    const old = verifySigV4(await signed({ signingDate: new Date(NOW - 6 * 60_000) }), expectation);
    expect(old).toEqual({ ok: false, status: 403, type: 'InvalidSignatureException', message: 'Signature expired: 20261130T115400Z is now earlier than 20261130T115500Z (20261130T120000Z - 5 min.)' });
    const future = verifySigV4(await signed({ signingDate: new Date(NOW + 6 * 60_000) }), expectation);
    expect(future).toMatchObject({ ok: false, message: expect.stringMatching(/^Signature not yet current: 20261130T120600Z is still later than/) });
    expect(verifySigV4(await signed({ signingDate: new Date(NOW - 4 * 60_000) }), expectation).ok).toBe(true);
  });

  it('wrong region or service, unknown key, missing or malformed authorization', async () => {
    expect(verifySigV4(await signed({ region: 'us-east-1' }), expectation)).toMatchObject({ ok: false, type: 'InvalidSignatureException', message: expect.stringContaining('valid region') });
    expect(verifySigV4(await signed({ service: 's3' }), expectation)).toMatchObject({ ok: false, message: expect.stringContaining("correct service: 'bedrock'") });
    expect(verifySigV4(await signed(), { ...expectation, credentials: [] })).toMatchObject({ ok: false, type: 'UnrecognizedClientException' });
    const base = await signed();
    const { authorization: _a, ...noAuth } = base.headers;
    expect(verifySigV4({ ...base, headers: noAuth }, expectation)).toMatchObject({ ok: false, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(verifySigV4({ ...base, headers: { ...base.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } }, expectation)).toMatchObject({ ok: false, type: 'IncompleteSignatureException' });
    const { 'x-amz-date': _d, ...noDate } = base.headers;
    expect(verifySigV4({ ...base, headers: noDate }, expectation)).toMatchObject({ ok: false, type: 'IncompleteSignatureException', message: expect.stringContaining('X-Amz-Date') });
    const unsignedHost = String(base.headers.authorization).replace('SignedHeaders=content-type;host;', 'SignedHeaders=content-type;');
    expect(verifySigV4({ ...base, headers: { ...base.headers, authorization: unsignedHost } }, expectation)).toMatchObject({ ok: false, message: expect.stringContaining("'Host'") });
  });
});
