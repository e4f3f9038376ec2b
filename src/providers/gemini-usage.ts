// Gemini's usage (`usageMetadata`, ai.google.dev/api/generate-content#UsageMetadata; the
// same on Vertex AI). Unlike Anthropic's, `promptTokenCount` INCLUDES the cached tokens
// (`cachedContentTokenCount`); unlike OpenAI's, thinking models report `thoughtsTokenCount`
// BESIDE `candidatesTokenCount`, not inside it, and thoughts are billed as output. So:
// uncached input = prompt − cached (+ tool-use prompt tokens, billed as input), output =
// candidates + thoughts, each part priced once.
import { z } from 'zod';
import { isJsonObject } from './json-object.ts';
import type { Usage } from './usage.ts';

const tokens = z.number().nonnegative().nullish().catch(null);

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: tokens,
  cachedContentTokenCount: tokens,
  candidatesTokenCount: tokens,
  thoughtsTokenCount: tokens,
  toolUsePromptTokenCount: tokens,
  totalTokenCount: tokens,
});
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

export function parseGeminiUsage(raw: unknown): GeminiUsage | null {
  if (!isJsonObject(raw)) return null;
  const parsed = geminiUsageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Zero counts are left out of proto3 JSON: an absent count is 0. Null when nothing was counted at all. */
export function normalizeGeminiUsage(u: GeminiUsage): Usage | null {
  if (u.promptTokenCount == null && u.candidatesTokenCount == null && u.thoughtsTokenCount == null) return null;
  const prompt = u.promptTokenCount ?? 0;
  const cached = Math.min(u.cachedContentTokenCount ?? 0, prompt);
  const thoughts = u.thoughtsTokenCount ?? 0;
  return {
    inputTokens: prompt - cached + (u.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: (u.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}

/** A non-streamed generateContent response. */
export function usageFromGeminiResponse(body: unknown): Usage | null {
  const u = parseGeminiUsage(isJsonObject(body) ? body.usageMetadata : undefined);
  return u ? normalizeGeminiUsage(u) : null;
}

/** The generated text of a response or stream chunk: each part's text, and function calls' names and arguments. */
export function geminiGeneratedPieces(body: unknown): string[] {
  const pieces: string[] = [];
  const candidates = isJsonObject(body) && Array.isArray(body.candidates) ? body.candidates : [];
  for (const candidate of candidates) {
    const content = isJsonObject(candidate) ? candidate.content : undefined;
    const parts = isJsonObject(content) && Array.isArray(content.parts) ? content.parts : [];
    for (const part of parts) {
      if (!isJsonObject(part)) continue;
      if (typeof part.text === 'string') pieces.push(part.text);
      if (isJsonObject(part.functionCall)) pieces.push(JSON.stringify(part.functionCall));
    }
  }
  return pieces;
}
