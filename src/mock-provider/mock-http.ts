// Writing responses: JSON bodies, errors and SSE streams, with each provider's headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { anthropicErrorBody, openAiErrorBody, type MockError, type Wire } from './mock-errors.ts';

/** One response being written: where, in which provider's dialect, under which id. */
export interface Reply {
  readonly res: ServerResponse;
  readonly wire: Wire;
  readonly requestId: string;
  readonly startedAt: number;
}

/** A stream as head events, `chunks` content chunks (one token each) and tail events. */
export interface SseStream {
  readonly head: readonly string[];
  readonly chunks: number;
  readonly chunk: (i: number) => string;
  readonly tail: readonly string[];
}

export const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** 32 hex characters, like OpenAI's `req_…` ids. */
export const randomId = (): string => randomUUID().replaceAll('-', '');

export const sseData = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
export const sseEvent = (type: string, payload: unknown): string => `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;

/** OpenAI sends `x-request-id`, Anthropic `request-id`. */
function baseHeaders(reply: Reply, contentType: string): Record<string, string> {
  if (reply.wire === 'anthropic') return { 'content-type': contentType, 'request-id': reply.requestId };
  return {
    'content-type': contentType,
    'x-request-id': reply.requestId,
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(Date.now() - reply.startedAt),
  };
}

export function sendJson(reply: Reply, status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): void {
  if (reply.res.destroyed || reply.res.headersSent) return;
  const text = JSON.stringify(body);
  reply.res.writeHead(status, { ...baseHeaders(reply, 'application/json'), 'content-length': String(Buffer.byteLength(text)), ...extra });
  reply.res.end(text);
}

export function sendError(reply: Reply, error: MockError): void {
  const body = reply.wire === 'anthropic' ? anthropicErrorBody(error, reply.requestId) : openAiErrorBody(error);
  // Rate limits and overload tell the client when to come back, as the real APIs do.
  const extra: Record<string, string> = error.status === 429 || error.status === 529 ? { 'retry-after': '1' } : {};
  sendJson(reply, error.status, body, extra);
}

/**
 * Writes a stream: the head at once, then each content chunk after `delayMs`, then the
 * tail. With `dropAfter`, the connection is closed after that many content chunks
 * (what was written is flushed first): a provider dying mid-stream, with no usage
 * and no terminator. Stops early when the client goes away.
 */
export async function sendSse(reply: Reply, stream: SseStream, delayMs: number, dropAfter?: number): Promise<void> {
  const { res } = reply;
  if (res.destroyed) return;
  res.writeHead(200, { ...baseHeaders(reply, 'text/event-stream; charset=utf-8'), 'cache-control': 'no-cache' });
  const last = dropAfter ?? stream.chunks;
  if (delayMs <= 0) {
    // No delay: the whole stream in one write (the benchmark's case).
    let text = stream.head.join('');
    for (let i = 0; i < last; i++) text += stream.chunk(i);
    if (dropAfter !== undefined) return cut(res, text);
    return void res.end(text + stream.tail.join(''));
  }
  res.write(stream.head.join(''));
  for (let i = 0; i < last; i++) {
    await sleep(delayMs);
    if (res.destroyed) return;
    res.write(stream.chunk(i));
  }
  if (dropAfter !== undefined) return cut(res, '');
  if (stream.chunks > 0) await sleep(delayMs);
  if (!res.destroyed) res.end(stream.tail.join(''));
}

/** Ends the connection mid-body: flushes what was written, then closes without the terminator. */
function cut(res: ServerResponse, text: string): void {
  if (text) res.write(text);
  res.socket?.destroySoon();
}

/** The raw bytes (SigV4 hashes them exactly), or null once they pass `limit` (the rest is drained). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body as text, or null once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return (await readRawBody(req, limit))?.toString('utf8') ?? null;
}
