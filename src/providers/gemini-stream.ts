import { geminiGeneratedPieces, normalizeGeminiUsage, parseGeminiUsage, type GeminiUsage } from './gemini-usage.ts';
import { isJsonObject, parseJsonObject } from './json-object.ts';
import { createOutputEstimate } from './output-estimate.ts';
import type { SseEvent } from './sse-parser.ts';
import { guarded, type StreamTracker } from './stream-tracker.ts';
import { zeroUsage, type Usage } from './usage.ts';

/**
 * Gemini's streamGenerateContent with `alt=sse`: every chunk is a GenerateContentResponse
 * whose `usageMetadata` counts everything so far; the chunk whose candidate carries a
 * `finishReason` has the totals. There is no terminal event, so a stream cut before that
 * chunk has only the counts so far (prompt exact, output at least what was counted).
 * Chunks are forwarded untouched.
 */
export function trackGeminiStream(): StreamTracker {
  let latest: GeminiUsage | null = null;
  let done = false;
  const output = createOutputEstimate();

  const inspect = (event: SseEvent): string | null => {
    const chunk = parseJsonObject(event.data);
    if (!chunk) return event.raw;
    if (isJsonObject(chunk.error)) {
      done = true; // an error chunk ends the stream
      return event.raw;
    }
    for (const piece of geminiGeneratedPieces(chunk)) output.add(piece);
    latest = parseGeminiUsage(chunk.usageMetadata) ?? latest;
    const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
    if (candidates.some((c) => isJsonObject(c) && typeof c.finishReason === 'string' && c.finishReason !== 'FINISH_REASON_UNSPECIFIED')) done = true;
    return event.raw;
  };

  const reported = (): Usage | null => (latest ? normalizeGeminiUsage(latest) : null);

  return {
    onEvent: guarded(inspect),
    usage: () => (done ? reported() : null),
    partialUsage(inputTokensFallback) {
      const known = reported();
      const inputKnown = latest?.promptTokenCount != null;
      return {
        ...(known ?? zeroUsage),
        inputTokens: inputKnown && known ? known.inputTokens : inputTokensFallback,
        outputTokens: Math.max(known?.outputTokens ?? 0, output.tokens()),
      };
    },
    finished: () => done,
  };
}
