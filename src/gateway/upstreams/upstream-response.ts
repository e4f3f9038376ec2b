// Answers an upstream rewrites: errors in the client's dialect, and bodies built from
// bytes. A platform that refuses the gateway's own credentials (401/403) is the
// platform team's problem, not the caller's: it becomes a 502, so the caller's SDK
// does not conclude that its Stipend key is wrong.
import type { Dispatcher } from 'undici';
import type { Dialect, UpstreamResponse } from './upstream.ts';

/** A response whose body is these bytes. */
export function bytesResponse(statusCode: number, headers: UpstreamResponse['headers'], bytes: Uint8Array): UpstreamResponse {
  const body = {
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
  return { statusCode, headers, body };
}

/** undici's response as the relays read it, unchanged. */
export const asIs = (response: Dispatcher.ResponseData): UpstreamResponse => response;

export type ErrorKind = 'invalid_request' | 'authentication' | 'permission' | 'not_found' | 'rate_limit' | 'overloaded' | 'timeout' | 'upstream';

const OPENAI_TYPE: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  timeout: 'timeout_error',
  upstream: 'upstream_error',
};
const ANTHROPIC_TYPE: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  timeout: 'api_error',
  upstream: 'api_error',
};
/** google.rpc.Code names, as Google's APIs put them in `error.status`. */
const GOOGLE_STATUS: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  upstream: 'UNAVAILABLE',
};

/** The error body each client's SDK parses. */
export function dialectErrorBody(dialect: Dialect, status: number, kind: ErrorKind, message: string, code: string = kind): unknown {
  if (dialect === 'anthropic') return { type: 'error', error: { type: ANTHROPIC_TYPE[kind], message } };
  if (dialect === 'gemini') return { error: { code: status, message, status: GOOGLE_STATUS[kind] } };
  return { error: { message, type: OPENAI_TYPE[kind], param: null, code } };
}

export function errorResponse(dialect: Dialect, status: number, kind: ErrorKind, message: string, code?: string): UpstreamResponse {
  const bytes = Buffer.from(JSON.stringify(dialectErrorBody(dialect, status, kind, message, code)));
  return bytesResponse(status, { 'content-type': 'application/json' }, bytes);
}

/** The kind of error an HTTP status means, for platforms whose error bodies name none we can use. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 400 || status === 413 || status === 422) return 'invalid_request';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  return 'upstream';
}

/** 502 for a platform that refused the gateway's credentials (or has no such resource for them). */
export function refusedCredentials(dialect: Dialect, upstream: string, status: number): UpstreamResponse {
  return errorResponse(
    dialect,
    502,
    'upstream',
    `The upstream '${upstream}' refused this gateway's credentials or configuration (HTTP ${status}). Your request was not charged; the gateway's logs say more to your platform team.`,
    'upstream_error',
  );
}

/** Reads a whole error body as JSON (null when it is not JSON). */
export async function readJson(response: Dispatcher.ResponseData): Promise<{ readonly bytes: Buffer; readonly json: unknown }> {
  const bytes = Buffer.from(await response.body.arrayBuffer());
  try {
    return { bytes, json: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { bytes, json: null };
  }
}

/** `error.message` or `message` of a JSON error body. */
export function messageOf(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const o = json as { message?: unknown; error?: { message?: unknown } | string };
  if (typeof o.message === 'string') return o.message;
  if (typeof o.error === 'object' && o.error !== null && typeof o.error.message === 'string') return o.error.message;
  return undefined;
}
