import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function parseChunks(chunks: readonly Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

const splitAt = (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] =>
  [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));

// Multi-byte characters of 2, 3 and 4 bytes, so cuts land inside them.
const STREAM =
  'event: message_start\ndata: {"a":"é✓😀"}\n\n' +
  ': keep-alive comment\n\n' +
  'data: line one\ndata:line two\ndata\n\n' +
  'id: 7\nretry: 100\ndata:  two spaces\n\n' +
  'data: [DONE]\n\n';

const EXPECTED = [
  { event: 'message_start', data: '{"a":"é✓😀"}', raw: 'event: message_start\ndata: {"a":"é✓😀"}\n\n' },
  { event: undefined, data: '', raw: ': keep-alive comment\n\n' },
  { event: undefined, data: 'line one\nline two\n', raw: 'data: line one\ndata:line two\ndata\n\n' },
  { event: undefined, data: ' two spaces', raw: 'id: 7\nretry: 100\ndata:  two spaces\n\n' },
  { event: undefined, data: '[DONE]', raw: 'data: [DONE]\n\n' },
];

describe('createSseParser', () => {
  it('reads fields per the SSE spec and keeps each event’s exact text', () => {
    expect(parseChunks([encode(STREAM)])).toEqual(EXPECTED);
  });

  it('yields the same events wherever the bytes are cut, inside multi-byte characters too', () => {
    const bytes = encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) expect(parseChunks(splitAt(bytes, [cut]))).toEqual(EXPECTED);
    for (let a = 1; a < bytes.length; a += 3) {
      for (let b = a + 1; b < bytes.length; b += 5) expect(parseChunks(splitAt(bytes, [a, b]))).toEqual(EXPECTED);
    }
    expect(parseChunks(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it('accepts CRLF, CR and mixed line endings at every cut, and keeps them in raw', () => {
    const text = 'event: x\r\ndata: 1\r\n\r\ndata: 2\r\rdata: 3\n\r\ndata: 4\r\n\ndata: 5\r\r\n: c\r\n\r\n';
    const expected = [
      ['x', '1', 'event: x\r\ndata: 1\r\n\r\n'],
      [undefined, '2', 'data: 2\r\r'],
      [undefined, '3', 'data: 3\n\r\n'],
      [undefined, '4', 'data: 4\r\n\n'],
      [undefined, '5', 'data: 5\r\r\n'],
      [undefined, '', ': c\r\n\r\n'],
    ];
    const bytes = encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseChunks(splitAt(bytes, [cut])).map((e) => [e.event, e.data, e.raw])).toEqual(expected);
    }
  });

  it('waits for the byte after a trailing CR before ending an event (it may be a CRLF)', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((e) => events.push(e));
    parser.push(encode('data: 1\r\n\r'));
    expect(events).toEqual([]);
    parser.push(encode('\ndata: 2\r\n\r'));
    expect(events.map((e) => e.raw)).toEqual(['data: 1\r\n\r\n']);
    parser.end(); // the stream ended: that CR was a line break of its own
    expect(events.map((e) => e.raw)).toEqual(['data: 1\r\n\r\n', 'data: 2\r\n\r']);
  });

  it('flushes a last event that lost its blank line when the stream was cut', () => {
    const events = parseChunks([encode('data: 1\n\ndata: {"partial"')]);
    expect(events.map((e) => [e.data, e.raw])).toEqual([
      ['1', 'data: 1\n\n'],
      ['{"partial"', 'data: {"partial"'],
    ]);
    expect(parseChunks([encode('data: 1\n\n')])).toHaveLength(1);
    expect(parseChunks([])).toEqual([]);
  });

  it('never loses a byte: extra blank lines travel with the next event', () => {
    const text = '\ndata: 1\n\n\n\n\ndata: 2\n\n';
    const events = parseChunks([encode(text)]);
    expect(events.map((e) => e.raw).join('')).toBe(text);
    expect(events.filter((e) => e.data !== '').map((e) => e.data)).toEqual(['1', '2']);
  });

  it('matches generated streams under random cuts (seeded fuzz)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const lines = ['event: message_delta', 'data: {"t":"é😀"}', 'data:x', 'data', ': comment', 'id: 9', 'data:  y'];
    for (let round = 0; round < 300; round++) {
      const expected: { event: string | undefined; data: string; raw: string }[] = [];
      let text = '';
      let previousBreak = '\n';
      const lineBreak = () => {
        // After a CR, an LF would merge into CRLF: a writer cannot mean two breaks there.
        const options = previousBreak === '\r' ? ['\r', '\r\n'] : ['\n', '\r\n', '\r'];
        previousBreak = options[random(options.length)]!;
        return previousBreak;
      };
      for (let e = random(5) + 1; e > 0; e--) {
        let raw = '';
        let event: string | undefined;
        const data: string[] = [];
        for (let l = random(3) + 1; l > 0; l--) {
          const line = lines[random(lines.length)]!;
          raw += line + lineBreak();
          if (line.startsWith('event: ')) event = line.slice(7);
          if (line === 'data') data.push('');
          else if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
        }
        raw += lineBreak();
        expected.push({ event, data: data.join('\n'), raw });
        text += raw;
      }
      const bytes = encode(text);
      const cuts = [...new Set(Array.from({ length: random(6) }, () => random(bytes.length - 1) + 1))].sort((a, b) => a - b);
      expect(parseChunks(splitAt(bytes, cuts))).toEqual(expected);
    }
  });

  it('handles a large event arriving in many chunks, and many small events (its speed: npm run bench)', () => {
    const big = `event: response.completed\ndata: {"text":"${'x'.repeat(2_000_000)}"}\n\n`;
    const bytes = encode(big + 'data: [DONE]\n\n');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 16_384) chunks.push(bytes.subarray(i, i + 16_384));
    const events = parseChunks(chunks);
    expect(events.map((e) => e.raw.length)).toEqual([big.length, 14]);
    const many = encode('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'.repeat(50_000));
    expect(parseChunks([many.subarray(0, many.length >> 1), many.subarray(many.length >> 1)])).toHaveLength(50_000);
  });
});
