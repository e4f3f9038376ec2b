// A streaming Server-Sent Events parser that keeps each event's exact text, so the
// gateway can forward events verbatim while it reads usage out of them. It sits on
// every streamed byte: boundaries are found by a native regex over the new text
// only, and an event's text is joined once, when it is complete.

export interface SseEvent {
  /** The `event:` field; undefined when absent (the spec's default type, "message"). */
  readonly event: string | undefined;
  /** The `data:` lines joined by "\n"; "" when there were none (comments, keep-alives). */
  readonly data: string;
  /** The event's original text, including its terminating blank line. */
  readonly raw: string;
}

export interface SseParser {
  push(chunk: Uint8Array): void;
  /** Flushes the decoder and a final event that lacked its blank line (a stream cut short). */
  end(): void;
}

/**
 * A blank line: a line break (CRLF, LF or a CR not followed by LF) followed by another.
 * Alternatives are ordered so CRLF is always read as one break.
 */
const BLANK_LINE_SOURCE = /(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r|\n)/.source;
const LINE_BREAK = /\r\n|\r|\n/;
// Any blank line that ends in new text begins at most 3 characters before it.
const TAIL = 4;

/** Reads the fields of one event's text (comment lines and unknown fields are skipped). */
export function parseSseEvent(raw: string): SseEvent {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of raw.split(LINE_BREAK)) {
    if (line === '' || line.charCodeAt(0) === 0x3a /* ':' comment */) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    if (name !== 'data' && name !== 'event') continue;
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1);
    if (name === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else event = value === '' ? undefined : value;
  }
  return { event, data: data ?? '', raw };
}

/**
 * Every block of lines ended by a blank line is reported, comment-only blocks too
 * (keep-alives must reach the client). Undecodable bytes become U+FFFD, and a
 * leading BOM is dropped (as the spec says), so `raw` is exact for valid UTF-8.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder('utf-8');
  const blankLine = new RegExp(BLANK_LINE_SOURCE, 'g'); // per parser: `lastIndex` is state
  let head: string[] = []; // the pending event's text, but its last few characters
  let tail = ''; // the pending event's last characters, where a blank line may begin

  const scan = (text: string, final: boolean): void => {
    const window = tail + text;
    let from = 0;
    blankLine.lastIndex = 0;
    for (let m = blankLine.exec(window); m !== null; m = blankLine.exec(window)) {
      const end = m.index + m[0].length;
      // A CR at the very end may be the first half of a CRLF still on its way.
      if (!final && end === window.length && window.charCodeAt(end - 1) === 0x0d) break;
      const piece = window.slice(from, end);
      const raw = head.length === 0 ? piece : head.join('') + piece;
      head = [];
      from = end;
      onEvent(parseSseEvent(raw));
    }
    const rest = from === 0 ? window : window.slice(from);
    if (rest.length > TAIL) {
      head.push(rest.slice(0, rest.length - TAIL));
      tail = rest.slice(rest.length - TAIL);
    } else {
      tail = rest;
    }
  };

  return {
    push(chunk) {
      const text = decoder.decode(chunk, { stream: true });
      if (text !== '') scan(text, false);
    },
    end() {
      scan(decoder.decode(), true);
      const rest = head.join('') + tail;
      head = [];
      tail = '';
      if (rest !== '') onEvent(parseSseEvent(rest));
    },
  };
}
