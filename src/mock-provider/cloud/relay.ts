// Lets the stand-ins reuse the OpenAI/Anthropic handlers unchanged: a handler writes
// to this sink as if it were the response, and the sink rewrites what it wrote into
// another provider's dialect (its headers, its error shapes, its stream framing)
// on the way to the real response. Streamed writes pass through as they come, so
// the handlers' delays, drops and client-abort checks behave the same everywhere.
import type { ServerResponse } from 'node:http';

export interface Relay {
  /** Headers of the real response: the handler's status, the dialect's own headers. */
  headers(status: number, streaming: boolean): Readonly<Record<string, string>>;
  /** A whole (non-streamed) body rewritten; may change the status and add headers. */
  body(status: number, text: string): { readonly status?: number; readonly body: string | Buffer; readonly headers?: Readonly<Record<string, string>> };
  /** One SSE event block (without its blank line) rewritten to zero or more bytes. */
  event(block: string): string | Buffer;
  /** Sent before the first event of a stream. */
  start?(): string | Buffer;
  /** Sent after the last event of a stream that ended normally. */
  end?(): string | Buffer;
}

/**
 * A stand-in for the ServerResponse the handlers write to: the subset they use
 * (writeHead, write, end, destroyed, headersSent, socket.destroySoon).
 */
export function relayTo(res: ServerResponse, relay: Relay): ServerResponse {
  let status = 200;
  let streaming = false;
  let headersSent = false;
  let whole = '';
  let partial = '';

  const forward = (text: string): void => {
    partial += text;
    const blocks = partial.split('\n\n');
    partial = blocks.pop() ?? '';
    for (const block of blocks) {
      if (block.trim() === '') continue;
      const out = relay.event(block);
      if (out.length > 0) res.write(out);
    }
  };

  const sink = {
    get destroyed() {
      return res.destroyed;
    },
    get headersSent() {
      return headersSent;
    },
    writeHead(code: number, headers: Readonly<Record<string, string>> = {}) {
      status = code;
      headersSent = true;
      streaming = String(headers['content-type'] ?? '').startsWith('text/event-stream');
      if (streaming && !res.destroyed) {
        res.writeHead(status, { ...relay.headers(status, true) });
        const start = relay.start?.();
        if (start !== undefined && start.length > 0) res.write(start);
      }
      return sink;
    },
    write(chunk: string | Buffer) {
      if (res.destroyed) return false;
      if (streaming) forward(String(chunk));
      else whole += String(chunk);
      return true;
    },
    end(chunk?: string | Buffer) {
      if (res.destroyed) return sink;
      if (!streaming) {
        const out = relay.body(status, whole + (chunk === undefined ? '' : String(chunk)));
        const body = typeof out.body === 'string' ? Buffer.from(out.body) : out.body;
        res.writeHead(out.status ?? status, { ...relay.headers(out.status ?? status, false), ...out.headers, 'content-length': String(body.length) });
        res.end(body);
        return sink;
      }
      if (chunk !== undefined) forward(String(chunk));
      const tail = relay.end?.();
      res.end(tail);
      return sink;
    },
    // A provider dying mid-stream (mock:drop-after): cut the real connection.
    socket: { destroySoon: () => res.socket?.destroySoon() },
  };
  return sink as unknown as ServerResponse;
}
