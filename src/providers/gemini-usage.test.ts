import { describe, expect, it } from 'vitest';
import { normalizeGeminiUsage, usageFromGeminiResponse } from './gemini-usage.ts';

describe("Gemini's usageMetadata", () => {
  it('prompt includes cached; thoughts sit beside candidates and are output; each part counted once', () => {
    const usage = usageFromGeminiResponse({ usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 7, thoughtsTokenCount: 20, totalTokenCount: 127 } });
    expect(usage).toEqual({ inputTokens: 40, cachedInputTokens: 60, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 27, reasoningTokens: 20 });
  });

  it('zero counts are left out (proto3): a cap spent thinking has no candidates count; tool-use prompts are input', () => {
    expect(normalizeGeminiUsage({ promptTokenCount: 5, thoughtsTokenCount: 11 })).toMatchObject({ inputTokens: 5, outputTokens: 11, reasoningTokens: 11 });
    expect(normalizeGeminiUsage({ promptTokenCount: 5, toolUsePromptTokenCount: 30, candidatesTokenCount: 2 })).toMatchObject({ inputTokens: 35, outputTokens: 2 });
    expect(usageFromGeminiResponse({ candidates: [] })).toBeNull();
    expect(usageFromGeminiResponse({ usageMetadata: {} })).toBeNull();
  });
});
