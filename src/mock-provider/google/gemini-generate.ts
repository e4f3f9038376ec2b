// generateContent / streamGenerateContent / countTokens in Gemini's wire format,
// shared by the Gemini API and Vertex AI. Usage follows the API reference's
// UsageMetadata: promptTokenCount INCLUDES cachedContentTokenCount; thinking models
// report thoughtsTokenCount BESIDE candidatesTokenCount (not inside it), and
// totalTokenCount = prompt + candidates + thoughts. As proto3 JSON, zero counts are
// left out. maxOutputTokens bounds thoughts and visible text together.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { relayTo } from '../cloud/relay.ts';
import { parseDirectives } from '../mock-directives.ts';
import { sendJson, sendSse, sleep, sseData } from '../mock-http.ts';
import { REASONING_TOKENS, dropPoint, planOutput } from '../mock-plan.ts';
import type { Settings } from '../mock-routes.ts';
import { countInputTokens, outputText, tokenText } from '../mock-text.ts';
import { GOOGLE_HEADERS, googleDirectiveError, sendGoogleError, type GoogleError } from './google-errors.ts';
import type { GeminiModel } from './gemini-models.ts';

/** GenerateContentRequest's fields (proto JSON accepts lowerCamel and the original snake_case). */
const TOP_LEVEL = ['model', 'contents', 'tools', 'toolConfig', 'safetySettings', 'systemInstruction', 'generationConfig', 'cachedContent', 'labels', 'modelArmorConfig', 'serviceTier'];

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), v])) : value;

const part = z.looseObject({ text: z.string().optional(), thought: z.boolean().optional() });
const content = z.looseObject({ role: z.string().optional(), parts: z.array(part).optional() });
const generationConfig = z.looseObject({
  maxOutputTokens: z.number().int().min(1).optional(),
  candidateCount: z.number().int().min(1).max(8).optional(),
  thinkingConfig: z.looseObject({ thinkingBudget: z.number().int().min(-1).optional(), includeThoughts: z.boolean().optional() }).optional(),
});
const generateBody = z.looseObject({
  contents: z.array(content).optional(),
  systemInstruction: content.optional(),
  generationConfig: generationConfig.optional(),
  cachedContent: z.string().optional(),
});
export type GenerateBody = z.infer<typeof generateBody>;

/** Normalizes names to lowerCamel and validates; a Google error when the body is not acceptable. */
export type ReadBody = { readonly ok: true; readonly body: GenerateBody } | { readonly ok: false; readonly error: GoogleError };

export function readGenerateBody(raw: Record<string, unknown>, method: string): ReadBody {
  const body = camelKeys(raw) as Record<string, unknown>;
  const unknown = Object.keys(raw).find((k) => !TOP_LEVEL.includes(camel(k)));
  if (unknown !== undefined) return { ok: false, error: { code: 400, message: `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.` } };
  const config = camelKeys(body.generationConfig) as Record<string, unknown> | undefined;
  const normalized = { ...body, ...(config ? { generationConfig: { ...config, ...(config.thinkingConfig ? { thinkingConfig: camelKeys(config.thinkingConfig) } : {}) } } : {}) };
  const parsed = generateBody.safeParse(normalized);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { code: 400, message: `Invalid value at '${issue.path.join('.')}': ${issue.message}` } };
  }
  if (!parsed.data.contents || parsed.data.contents.length === 0) return { ok: false, error: { code: 400, message: `* ${method}Request.contents: contents is not specified\n` } };
  return { ok: true, body: parsed.data };
}

const asMessages = (contents: GenerateBody['contents']): unknown[] => (contents ?? []).map((c) => ({ role: c.role ?? 'user', content: c.parts ?? [] }));

/** Prompt tokens: the mock's count of every text part and the system instruction. */
export const promptTokens = (body: GenerateBody): number => countInputTokens(asMessages(body.contents), body.systemInstruction?.parts);

function lastUserText(body: GenerateBody): string {
  const contents = body.contents ?? [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i]!;
    if ((c.role ?? 'user') === 'user') return (c.parts ?? []).map((p) => p.text ?? '').join(' ');
  }
  return '';
}

export interface GenerateCall {
  readonly body: GenerateBody;
  readonly model: GeminiModel;
  readonly stream: boolean;
  /** `alt=sse`: an SSE stream; otherwise a JSON array streamed element by element. */
  readonly sse: boolean;
  readonly vertex: boolean;
  readonly res: ServerResponse;
  readonly settings: Settings;
  readonly startedAt: number;
}

const tokenDetails = (n: number) => [{ modality: 'TEXT', tokenCount: n }];

export async function generate(call: GenerateCall): Promise<void> {
  const { body, model, res } = call;
  const d = parseDirectives(lastUserText(body));
  const budget = body.generationConfig?.thinkingConfig?.thinkingBudget;
  if (budget === 0 && model.alwaysThinks) return sendGoogleError(res, { code: 400, message: 'Budget 0 is invalid. This model only works in thinking mode.' });
  await sleep(d.latency ?? 0);
  if (res.destroyed) return;
  if (d.status !== undefined) return sendGoogleError(res, googleDirectiveError(d.status));

  const cap = body.generationConfig?.maxOutputTokens;
  const thoughts = model.thinking && budget !== 0 ? Math.min(REASONING_TOKENS, cap ?? REASONING_TOKENS) : 0;
  const plan = planOutput(model.id, cap === undefined ? undefined : cap - thoughts, d, call.settings.outputTokens);
  const n = body.generationConfig?.candidateCount ?? 1;
  const cached = d.cached ?? 0;
  const prompt = promptTokens(body) + cached;
  const candidatesTokens = n * plan.visible;
  const thoughtsTokens = n * thoughts;
  const usage = {
    promptTokenCount: prompt,
    ...(candidatesTokens > 0 ? { candidatesTokenCount: candidatesTokens } : {}),
    totalTokenCount: prompt + candidatesTokens + thoughtsTokens,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    promptTokensDetails: tokenDetails(prompt),
    ...(cached > 0 ? { cacheTokensDetails: tokenDetails(cached) } : {}),
    ...(call.vertex && candidatesTokens > 0 ? { candidatesTokensDetails: tokenDetails(candidatesTokens) } : {}),
    ...(thoughtsTokens > 0 ? { thoughtsTokenCount: thoughtsTokens } : {}),
    ...(call.vertex ? { trafficType: 'ON_DEMAND' } : {}),
  };
  const finishReason = plan.truncated ? 'MAX_TOKENS' : 'STOP';
  const meta = {
    modelVersion: model.id,
    responseId: randomBytes(16).toString('base64url'),
    ...(call.vertex ? { createTime: new Date(call.startedAt).toISOString() } : {}),
  };
  const candidate = (index: number, text: string, done: boolean) => ({
    // A candidate that produced no text has no parts at all.
    content: text === '' && !done ? { role: 'model' } : { parts: [{ text }], role: 'model' },
    ...(done ? { finishReason } : {}),
    index,
  });
  const sink = geminiRelay(res, call.stream && !call.sse);
  const reply = { res: sink, wire: 'openai' as const, requestId: meta.responseId, startedAt: call.startedAt };

  if (!call.stream) {
    const text = outputText(plan.visible);
    const candidates = Array.from({ length: n }, (_, i) => ({ ...candidate(i, text, true), ...(text === '' ? { content: { role: 'model' } } : {}) }));
    return sendJson(reply, 200, { candidates, usageMetadata: usage, ...meta });
  }

  // Chunks take turns between candidates; each carries the usage so far, the last the totals.
  const total = n * plan.visible;
  const partial = (k: number) => {
    const candidatesSoFar = k + 1;
    return { promptTokenCount: prompt, candidatesTokenCount: candidatesSoFar, totalTokenCount: prompt + candidatesSoFar + thoughtsTokens, promptTokensDetails: tokenDetails(prompt), ...(thoughtsTokens > 0 ? { thoughtsTokenCount: thoughtsTokens } : {}) };
  };
  const tail = Array.from({ length: n }, (_, i) => sseData({ candidates: [candidate(i, '', true)], usageMetadata: usage, ...meta }));
  await sendSse(
    reply,
    {
      head: [],
      chunks: total,
      chunk: (k) => sseData({ candidates: [candidate(k % n, tokenText(Math.floor(k / n)), false)], usageMetadata: partial(k), ...meta }),
      tail,
    },
    d.delay ?? call.settings.tokenDelayMs,
    dropPoint(d, total),
  );
}

/** Google's headers; a stream reframed as SSE (`data: …\r\n\r\n`) or as one JSON array. */
function geminiRelay(res: ServerResponse, jsonArray: boolean): ServerResponse {
  let first = true;
  return relayTo(res, {
    headers: (_status, streaming) => ({
      ...GOOGLE_HEADERS,
      'content-type': streaming && !jsonArray ? 'text/event-stream' : 'application/json; charset=UTF-8',
      ...(streaming ? { 'x-content-type-options': 'nosniff' } : {}),
    }),
    body: (_status, text) => ({ body: text }),
    event(block) {
      const json = block.slice('data: '.length);
      if (!jsonArray) return `data: ${json}\r\n\r\n`;
      const out = `${first ? '[' : ',\r\n'}${json}`;
      first = false;
      return out;
    },
    end: () => (jsonArray ? (first ? '[]' : ']') : ''),
  });
}

/** countTokens: `{contents}` or `{generateContentRequest}`. */
export function countTokens(raw: Record<string, unknown>, vertex: boolean): { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: GoogleError } {
  const inner = raw.generateContentRequest ?? raw.generate_content_request;
  const request = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : raw;
  const read = readGenerateBody(request, 'CountTokens');
  if (!read.ok) return read;
  const total = promptTokens(read.body);
  const chars = (read.body.contents ?? []).flatMap((c) => c.parts ?? []).reduce((sum, p) => sum + (p.text ?? '').replace(/\s/g, '').length, 0);
  return { ok: true, body: { totalTokens: total, ...(vertex ? { totalBillableCharacters: chars } : {}), promptTokensDetails: tokenDetails(total) } };
}
