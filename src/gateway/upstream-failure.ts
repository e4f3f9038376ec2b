// Why a call to a provider failed, from the error undici (or Node's net/tls beneath it)
// raised. The client always gets the same 502 (or 504) naming only the provider; the log
// line and the metrics label say which: a DNS name that does not resolve, a certificate
// that does not verify and a port nobody listens on are three different fixes.

export type UpstreamFailureReason = 'dns' | 'tls' | 'refused' | 'reset' | 'connect_timeout' | 'headers_timeout' | 'other';

export interface UpstreamFailure {
  readonly reason: UpstreamFailureReason;
  /** The error's own code (ENOTFOUND, CERT_HAS_EXPIRED, UND_ERR_SOCKET, …), or 'unknown'. */
  readonly code: string;
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const CONNECT_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
// Node's tls module reports OpenSSL's verification results by name, and handshake failures as ERR_SSL_* / EPROTO.
const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH$|EPROTO$)/;

/** The reason and code of the first error in the chain (cause, AggregateError members) that has a code. */
export function upstreamFailure(error: unknown): UpstreamFailure {
  const code = codeOf(error);
  if (code === undefined) return { reason: 'other', code: 'unknown' };
  if (DNS.has(code)) return { reason: 'dns', code };
  if (REFUSED.has(code)) return { reason: 'refused', code };
  if (TLS.test(code)) return { reason: 'tls', code };
  if (CONNECT_TIMEOUT.has(code)) return { reason: 'connect_timeout', code };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { reason: 'headers_timeout', code };
  if (RESET.has(code)) return { reason: 'reset', code };
  return { reason: 'other', code };
}

function codeOf(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 4) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  // undici wraps the socket's error (its cause carries the specific code).
  const inner = codeOf(e.cause, depth + 1);
  if (inner !== undefined && (e.code === undefined || e.code === 'UND_ERR_SOCKET' || e.code === 'UND_ERR_CONNECT')) return inner;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors)) {
    for (const member of e.errors) {
      const c = codeOf(member, depth + 1);
      if (c !== undefined) return c;
    }
  }
  return inner;
}
