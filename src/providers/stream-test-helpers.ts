// Test helpers (not a test file): relays a recorded stream through parser + tracker.
import { createSseParser } from './sse-parser.ts';
import type { StreamTracker } from './stream-tracker.ts';

/** What the client receives when `text` arrives in chunks cut at `cuts` (byte offsets). */
export function relay(tracker: StreamTracker, text: string, cuts: readonly number[] = []): string {
  const bytes = new TextEncoder().encode(text);
  const sent: string[] = [];
  const parser = createSseParser((event) => {
    const out = tracker.onEvent(event);
    if (out !== null) sent.push(out);
  });
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(start, cut));
    start = cut;
  }
  parser.end();
  return sent.join('');
}

/** The first `count` events of a stream whose events end in "\n\n". */
export const firstEvents = (text: string, count: number): string =>
  text
    .split('\n\n')
    .slice(0, count)
    .map((e) => `${e}\n\n`)
    .join('');

/** Every byte offset of the UTF-8 text, for cut-anywhere loops. */
export const byteOffsets = (text: string, step = 1): number[] => {
  const length = new TextEncoder().encode(text).length;
  const offsets: number[] = [];
  for (let i = 1; i < length; i += step) offsets.push(i);
  return offsets;
};
