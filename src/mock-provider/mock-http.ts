import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sleep } from './mock-request.ts';

export interface Timing {
  readonly tokenDelayMs: number;
  readonly outputTokens: number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': `req_${randomBytes(8).toString('hex')}` });
  res.end(text);
}

/**
 * Writes SSE events with a delay between them. With `dropAfter`, the socket is
 * destroyed after that many events: a provider that dies mid-stream.
 */
export async function streamEvents(res: ServerResponse, events: readonly (() => string)[], delayMs: number, dropAfter?: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `req_${randomBytes(8).toString('hex')}` });
  res.flushHeaders();
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return; // the caller went away: stop generating
    if (dropAfter !== undefined && i >= dropAfter) {
      // Close after what was written is flushed, without the final chunk: a cut-off response.
      res.socket?.destroySoon();
      return;
    }
    res.write(events[i]!());
    if (delayMs > 0 && i < events.length - 1) await sleep(delayMs);
  }
  res.end();
}

export function openAiError(res: ServerResponse, status: number, message: string, code: string | null = null): void {
  const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code } });
}

export function anthropicError(res: ServerResponse, status: number, message: string): void {
  const types: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 529: 'overloaded_error' };
  sendJson(res, status, { type: 'error', error: { type: types[status] ?? 'api_error', message }, request_id: `req_${randomBytes(8).toString('hex')}` });
}
