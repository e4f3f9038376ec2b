import { describe, expect, it } from 'vitest';
import { trackGeminiStream } from './gemini-stream.ts';
import { byteOffsets, firstEvents, relay } from './stream-test-helpers.ts';

const chunk = (text: string, usage: Record<string, number>, finish?: string) =>
  `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(finish ? { finishReason: finish } : {}), index: 0 }], usageMetadata: usage })}\r\n\r\n`;
const STREAM =
  chunk('Hel', { promptTokenCount: 9, candidatesTokenCount: 1, thoughtsTokenCount: 8 }) +
  chunk('lo ', { promptTokenCount: 9, candidatesTokenCount: 2, thoughtsTokenCount: 8 }) +
  chunk('there', { promptTokenCount: 9, cachedContentTokenCount: 4, candidatesTokenCount: 3, thoughtsTokenCount: 8, totalTokenCount: 20 }, 'STOP');

describe('Gemini SSE streams', () => {
  it('forward every byte; the chunk with a finishReason holds the totals, read cut anywhere', () => {
    for (const cut of byteOffsets(STREAM, 7)) {
      const tracker = trackGeminiStream();
      expect(relay(tracker, STREAM, [cut])).toBe(STREAM);
      expect(tracker.finished()).toBe(true);
      expect(tracker.usage()).toMatchObject({ inputTokens: 5, cachedInputTokens: 4, outputTokens: 11, reasoningTokens: 8 });
    }
  });

  it('cut before the totals: no final usage; the counts so far, prompt exact', () => {
    const tracker = trackGeminiStream();
    relay(tracker, firstEvents(STREAM.replaceAll('\r\n', '\n'), 2));
    expect(tracker.finished()).toBe(false);
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(999)).toMatchObject({ inputTokens: 9, outputTokens: 10 });
  });

  it('an error chunk ends the stream', () => {
    const tracker = trackGeminiStream();
    relay(tracker, `data: ${JSON.stringify({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } })}\n\n`);
    expect(tracker.finished()).toBe(true);
    expect(tracker.partialUsage(12)).toMatchObject({ inputTokens: 12, outputTokens: 0 });
  });
});
