import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { countInputTokens, isReasoningModel, lastUserText, outputLength, parseDirectives, sleep, tokenText } from './mock-request.ts';
import { sendJson, streamEvents, type Timing } from './mock-http.ts';

/** OpenAI Responses API, standard and streamed (event names and sequence numbers as the API sends them). */
export async function responses(body: Record<string, unknown>, res: ServerResponse, timing: Timing): Promise<void> {
  const model = String(body.model);
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input as unknown[]);
  const d = parseDirectives(lastUserText(input));
  const n = outputLength(d, body.max_output_tokens as number | null | undefined, timing.outputTokens);
  const reasoning = isReasoningModel(model) && n > 0 ? Math.min(8, n) : 0;
  const cached = d.cached ?? 0;
  const inputTokens = countInputTokens(input, body.instructions) + cached;
  const visible = Math.max(0, n - reasoning);
  const text = Array.from({ length: visible }, (_, i) => tokenText(i)).join('');
  const respId = `resp_${randomBytes(12).toString('hex')}`;
  const msgId = `msg_${randomBytes(12).toString('hex')}`;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: n,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: inputTokens + n,
  };
  const message = (content: string, status: string) => ({ id: msgId, type: 'message', status, role: 'assistant', content: content === null ? [] : [{ type: 'output_text', text: content, annotations: [], logprobs: [] }] });
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: respId, object: 'response', created_at: Math.floor(Date.now() / 1000), status, model, output,
    parallel_tool_calls: true, tool_choice: 'auto', tools: [], temperature: 1, top_p: 1, text: { format: { type: 'text' } },
    error: null, incomplete_details: null, instructions: null, metadata: {}, usage: withUsage ? usage : null,
  });
  await sleep(d.latency ?? 0);
  if (body.stream !== true) return sendJson(res, 200, response('completed', [message(text, 'completed')], true));

  let seq = 0;
  const ev = (type: string, payload: Record<string, unknown>) => () => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload, sequence_number: seq++ })}\n\n`;
  const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
  const events = [
    ev('response.created', { response: response('in_progress', [], false) }),
    ev('response.in_progress', { response: response('in_progress', [], false) }),
    ev('response.output_item.added', { output_index: 0, item: { ...message('', 'in_progress'), content: [] } }),
    ev('response.content_part.added', { item_id: msgId, output_index: 0, content_index: 0, part }),
    ...Array.from({ length: visible }, (_, i) => ev('response.output_text.delta', { item_id: msgId, output_index: 0, content_index: 0, delta: tokenText(i), logprobs: [] })),
    ev('response.output_text.done', { item_id: msgId, output_index: 0, content_index: 0, text, logprobs: [] }),
    ev('response.content_part.done', { item_id: msgId, output_index: 0, content_index: 0, part: { ...part, text } }),
    ev('response.output_item.done', { output_index: 0, item: message(text, 'completed') }),
    ev('response.completed', { response: response('completed', [message(text, 'completed')], true) }),
  ];
  await streamEvents(res, events, d.delay ?? timing.tokenDelayMs, d.dropAfter === undefined ? undefined : d.dropAfter + 4);
}
