import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { countInputTokens, isReasoningModel, lastUserText, outputLength, parseDirectives, sleep, tokenText, type Directives } from './mock-request.ts';
import { sendJson, streamEvents, type Timing } from './mock-http.ts';

const id = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

function usageNumbers(model: string, input: number, output: number, d: Directives) {
  const reasoning = isReasoningModel(model) && output > 0 ? Math.min(8, output) : 0;
  const cached = Math.min(d.cached ?? 0, input + (d.cached ?? 0));
  // OpenAI: prompt_tokens INCLUDES cached_tokens; completion_tokens INCLUDES reasoning_tokens.
  return { prompt: input + cached, cached, completion: output, reasoning };
}

export async function chatCompletions(body: Record<string, unknown>, res: ServerResponse, timing: Timing): Promise<void> {
  const model = String(body.model);
  const messages = body.messages as unknown[];
  const d = parseDirectives(lastUserText(messages));
  const cap = (body.max_completion_tokens ?? body.max_tokens) as number | null | undefined;
  const n = outputLength(d, cap, timing.outputTokens);
  const u = usageNumbers(model, countInputTokens(messages), n, d);
  const usage = {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const base = { id: id('chatcmpl'), created: now(), model, system_fingerprint: 'fp_mock' };
  const text = Array.from({ length: Math.max(0, n - u.reasoning) }, (_, i) => tokenText(i)).join('');
  await sleep(d.latency ?? 0);

  if (body.stream !== true) {
    return sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: n === cap ? 'length' : 'stop' }],
      usage,
      service_tier: 'default',
    });
  }
  const includeUsage = (body.stream_options as { include_usage?: boolean } | null | undefined)?.include_usage === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', service_tier: 'default', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
  const visible = Math.max(0, n - u.reasoning);
  const events: (() => string)[] = [() => chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])];
  for (let i = 0; i < visible; i++) events.push(() => chunk([{ index: 0, delta: { content: tokenText(i) }, logprobs: null, finish_reason: null }]));
  events.push(() => chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: n === cap ? 'length' : 'stop' }]));
  if (includeUsage) events.push(() => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', service_tier: 'default', choices: [], usage })}\n\n`);
  events.push(() => 'data: [DONE]\n\n');
  // drop-after counts content chunks: the role chunk comes first.
  await streamEvents(res, events, d.delay ?? timing.tokenDelayMs, d.dropAfter === undefined ? undefined : d.dropAfter + 1);
}

export async function embeddings(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const tokens = inputs.reduce<number>((sum, item) => sum + (Array.isArray(item) ? item.length : Math.max(1, Math.ceil(Buffer.byteLength(String(item)) / 4))), 0);
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((item, index) => {
    const vector = Array.from({ length: 8 }, (_, k) => Math.sin(index + k + String(item).length) / 2);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJson(res, 200, { object: 'list', data, model: String(body.model), usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

export function models(res: ServerResponse): void {
  const data = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small'].map((m) => ({ id: m, object: 'model', created: 1_700_000_000, owned_by: 'mock' }));
  sendJson(res, 200, { object: 'list', data });
}
