// Requests to BambooHR's API: HTTP Basic with the API key as the user name and "x" as the
// password, Accept: application/json, retries for throttling and server failures (with the
// caller's clock and sleep), and a one-line BambooHrError for everything that stays wrong.
// The key is never part of a message.
import { backoffMs, decideRetry, isThrottle, type RetryDecision } from './bamboohr-retry.ts';

export interface BambooHrConnection {
  /** https://api.bamboohr.com (or a stand-in). */
  readonly baseUrl: string;
  readonly companyDomain: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly maxRetryAfterMs: number;
}

/** The clock and the waiting, injectable so that tests retry without sleeping. */
export interface RetryIo {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realRetryIo: RetryIo = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type BambooHrFailure = 'auth' | 'forbidden' | 'not-found' | 'throttled' | 'unavailable' | 'rejected' | 'malformed' | 'network';

export class BambooHrError extends Error {
  override readonly name = 'BambooHrError';
  readonly kind: BambooHrFailure;
  constructor(kind: BambooHrFailure, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Answers above this are refused (5,000 employees are about 3 MB). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  /** Below /api/gateway.php/{companyDomain}/v1, e.g. /employees/directory. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** For messages: "the employee directory". */
  readonly what: string;
}

export async function requestJson(conn: BambooHrConnection, io: RetryIo, request: JsonRequest): Promise<unknown> {
  const url = new URL(`${conn.baseUrl}/api/gateway.php/${encodeURIComponent(conn.companyDomain)}/v1${request.path}`);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${conn.apiKey}:x`).toString('base64')}`,
    accept: 'application/json',
  };
  // BambooHR reads a body as JSON only with exactly this content type.
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const host = url.host;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(conn.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const why = networkReason(error, conn.timeoutMs);
      if (attempt >= conn.maxAttempts) throw new BambooHrError('network', `cannot get ${request.what} from BambooHR at ${host}: ${why} (after ${attempt} attempts)`);
      await io.sleep(backoffMs(attempt));
      continue;
    }
    if (response.ok) return await readJson(response, request.what);
    const decision = decideRetry(response.status, response.headers.get('retry-after'), attempt, conn, io.now());
    if (decision.retry) {
      await response.body?.cancel().catch(() => undefined);
      await io.sleep(decision.delayMs);
      continue;
    }
    await response.body?.cancel().catch(() => undefined);
    throw failure(response, conn, request.what, decision);
  }
}

function failure(response: Response, conn: BambooHrConnection, what: string, decision: RetryDecision): BambooHrError {
  const status = response.status;
  const said = response.headers.get('x-bamboohr-error-message')?.trim().slice(0, 200);
  const detail = said ? `${status} ${said}` : String(status);
  const after = !decision.retry && decision.why ? ` ${decision.why}` : '';
  if (status === 401) return new BambooHrError('auth', `BambooHR refused the API key (${detail}): check STIPEND_BAMBOOHR_API_KEY for company "${conn.companyDomain}"`);
  if (status === 403) return new BambooHrError('forbidden', `BambooHR denied access to ${what} (${detail}): the API key's user needs to see every employee and the fields in docs/identity.md`);
  if (status === 404) return new BambooHrError('not-found', `BambooHR found no company "${conn.companyDomain}" (${detail} for ${what}): check STIPEND_BAMBOOHR_SUBDOMAIN`);
  if (isThrottle(status)) return new BambooHrError('throttled', `BambooHR is rate limiting (${detail}) and still was${after}`);
  if (status >= 500) return new BambooHrError('unavailable', `BambooHR failed to answer for ${what} (${detail})${after}`);
  return new BambooHrError('rejected', `BambooHR refused the request for ${what} (${detail})`);
}

async function readJson(response: Response, what: string): Promise<unknown> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new BambooHrError('malformed', `BambooHR's answer for ${what} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        await response.body.cancel().catch(() => undefined);
        throw new BambooHrError('malformed', `BambooHR's answer for ${what} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
      }
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new BambooHrError('malformed', `BambooHR's answer for ${what} is not valid JSON (${type}, ${size} bytes: ${(error as Error).message})`);
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
