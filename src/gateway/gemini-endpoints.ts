import { z } from 'zod';
import type { EndpointSpec, RequestFacts } from './endpoints.ts';

// Gemini's native API (generateContent and streamGenerateContent): the model and whether
// the answer streams come from the path, the output cap from `generationConfig`. Proto JSON
// takes lowerCamel and snake_case names alike, so both are read.
const positiveInt = z.number().int().positive();
const generationConfig = z.looseObject({
  maxOutputTokens: positiveInt.optional(),
  max_output_tokens: positiveInt.optional(),
  candidateCount: positiveInt.max(8).optional(),
  candidate_count: positiveInt.max(8).optional(),
});
const generateBody = z.looseObject({
  contents: z.array(z.unknown()).min(1),
  generationConfig: generationConfig.optional(),
  generation_config: generationConfig.optional(),
});

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'countTokens';

/**
 * The worst case's output: `maxOutputTokens` bounds thoughts and visible text together
 * (a thinking budget spends from it), per candidate; absent, the model's cap.
 */
export function geminiFacts(body: Readonly<Record<string, unknown>>, model: string, stream: boolean): RequestFacts {
  const config = (body.generationConfig ?? body.generation_config ?? {}) as z.infer<typeof generationConfig>;
  const cap = config.maxOutputTokens ?? config.max_output_tokens ?? null;
  const choices = config.candidateCount ?? config.candidate_count ?? 1;
  return { model, stream, outputCap: cap, choices, clientWantsStreamUsage: true };
}

/** The spec of one Gemini call (the route is its path, for messages). */
export function geminiSpec(route: string, model: string, stream: boolean): EndpointSpec {
  return {
    endpoint: 'generate_content',
    route,
    wire: 'gemini',
    upstreamPath: stream ? ':streamGenerateContent' : ':generateContent',
    schema: generateBody,
    facts: (body) => geminiFacts(body, model, stream),
  };
}

/** `gemini-2.5-flash:generateContent` (the colon possibly escaped) → model and method. */
export function parseGeminiTarget(rest: string): { readonly model: string; readonly method: string } | null {
  const decoded = rest.replace(/%3A/gi, ':');
  const m = /^([^/:]+):([A-Za-z]+)$/.exec(decoded);
  if (!m) return null;
  let model: string;
  try {
    model = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return { model, method: m[2]! };
}
