import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.ts';

const STREAM = 'event: message_start\ndata: {"a":"é✓"}\n\n: keep-alive comment\n\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n';

function parseAll(chunks: Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return events;
}

describe('createSseParser', () => {
  it('yields the same events however the bytes are split, multi-byte characters included', () => {
    const bytes = new TextEncoder().encode(STREAM);
    const whole = parseAll([bytes]);
    expect(whole.map((e) => [e.event, e.data])).toEqual([
      ['message_start', '{"a":"é✓"}'],
      [undefined, ''],
      [undefined, 'line one\nline two'],
      [undefined, '[DONE]'],
    ]);
    expect(whole.map((e) => e.raw).join('')).toBe(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseAll([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    }
    expect(parseAll(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('accepts CRLF and CR line endings and keeps them in raw', () => {
    const crlf = 'event: x\r\ndata: 1\r\n\r\ndata: 2\r\r';
    const events = parseAll([new TextEncoder().encode(crlf)]);
    expect(events.map((e) => [e.event, e.data])).toEqual([['x', '1'], [undefined, '2']]);
    expect(events.map((e) => e.raw).join('')).toBe(crlf);
  });

  it('flushes a last event that lost its blank line when the stream was cut', () => {
    const events = parseAll([new TextEncoder().encode('data: 1\n\ndata: partial')]);
    expect(events.map((e) => e.data)).toEqual(['1', 'partial']);
  });
});
