// The SSE parser on the inputs that would expose quadratic buffering: one 2 MB event in
// 16 KiB chunks, and 50,000 small events (src/providers/sse-parser.test.ts checks the events).
import { createSseParser } from '../src/providers/sse-parser.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function parse(chunks: readonly Uint8Array[]): number {
  let events = 0;
  const parser = createSseParser(() => events++);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

/** Median ms of `runs` parses of each input. */
export function benchSseParser(runs = 5): { bigEventMs: number; manyEventsMs: number } {
  const big = encode(`event: response.completed\ndata: {"text":"${'x'.repeat(2_000_000)}"}\n\ndata: [DONE]\n\n`);
  const bigChunks: Uint8Array[] = [];
  for (let i = 0; i < big.length; i += 16_384) bigChunks.push(big.subarray(i, i + 16_384));
  const many = encode('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'.repeat(50_000));
  const manyChunks = [many.subarray(0, many.length >> 1), many.subarray(many.length >> 1)];
  const median = (input: readonly Uint8Array[]) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      parse(input);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  return { bigEventMs: median(bigChunks), manyEventsMs: median(manyChunks) };
}
