// A streaming Server-Sent Events parser that keeps each event's exact text, so the
// gateway can forward events verbatim while reading usage out of them.

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
  /** The event's original text, including its terminating blank line. */
  readonly raw: string;
}

export interface SseParser {
  push(chunk: Uint8Array): void;
  /** Flushes a final event that lacked its blank line (a stream cut short). */
  end(): void;
}

const BOUNDARIES = ['\r\n\r\n', '\n\n', '\r\r'] as const;

function nextBoundary(text: string, from: number): { at: number; length: number } | null {
  let best: { at: number; length: number } | null = null;
  for (const b of BOUNDARIES) {
    const at = text.indexOf(b, from);
    if (at !== -1 && (best === null || at < best.at)) best = { at, length: b.length };
  }
  return best;
}

export function parseEvent(raw: string): SseEvent | null {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (event === undefined && data.length === 0) return { event: undefined, data: '', raw }; // comment-only: still forwarded
  return { event, data: data.join('\n'), raw };
}

export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  const drain = () => {
    let start = 0;
    for (;;) {
      const boundary = nextBoundary(buffer, start);
      if (!boundary) break;
      const end = boundary.at + boundary.length;
      const parsed = parseEvent(buffer.slice(start, end));
      if (parsed) onEvent(parsed);
      start = end;
    }
    if (start > 0) buffer = buffer.slice(start);
  };
  return {
    push(chunk) {
      buffer += decoder.decode(chunk, { stream: true });
      drain();
    },
    end() {
      buffer += decoder.decode();
      drain();
      if (buffer.length > 0) {
        const parsed = parseEvent(buffer);
        buffer = '';
        if (parsed) onEvent(parsed);
      }
    },
  };
}
