import { describe, expect, it } from 'vitest';
import { upstreamFailure } from './upstream-failure.ts';

const err = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('upstreamFailure', () => {
  it('tells DNS, TLS, refused, reset and timeouts apart by the error code', () => {
    expect(upstreamFailure(err('ENOTFOUND'))).toEqual({ reason: 'dns', code: 'ENOTFOUND' });
    expect(upstreamFailure(err('EAI_AGAIN'))).toEqual({ reason: 'dns', code: 'EAI_AGAIN' });
    expect(upstreamFailure(err('CERT_HAS_EXPIRED')).reason).toBe('tls');
    expect(upstreamFailure(err('DEPTH_ZERO_SELF_SIGNED_CERT')).reason).toBe('tls');
    expect(upstreamFailure(err('ERR_TLS_CERT_ALTNAME_INVALID')).reason).toBe('tls');
    expect(upstreamFailure(err('ERR_SSL_WRONG_VERSION_NUMBER')).reason).toBe('tls');
    expect(upstreamFailure(err('ECONNREFUSED'))).toEqual({ reason: 'refused', code: 'ECONNREFUSED' });
    expect(upstreamFailure(err('ECONNRESET')).reason).toBe('reset');
    expect(upstreamFailure(err('UND_ERR_CONNECT_TIMEOUT')).reason).toBe('connect_timeout');
    expect(upstreamFailure(err('UND_ERR_HEADERS_TIMEOUT')).reason).toBe('headers_timeout');
    expect(upstreamFailure(err('EWHATEVER'))).toEqual({ reason: 'other', code: 'EWHATEVER' });
    expect(upstreamFailure(new Error('no code'))).toEqual({ reason: 'other', code: 'unknown' });
    expect(upstreamFailure('not an error')).toEqual({ reason: 'other', code: 'unknown' });
  });

  it("reads the socket's code through undici's wrapper and an AggregateError of addresses", () => {
    expect(upstreamFailure(err('UND_ERR_SOCKET', { cause: err('ECONNRESET') }))).toEqual({ reason: 'reset', code: 'ECONNRESET' });
    const both = new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')], 'connect failed');
    expect(upstreamFailure(both)).toEqual({ reason: 'refused', code: 'ECONNREFUSED' });
    expect(upstreamFailure(new TypeError('fetch failed', { cause: err('ENOTFOUND') }))).toEqual({ reason: 'dns', code: 'ENOTFOUND' });
  });
});
