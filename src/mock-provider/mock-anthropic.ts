import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { countInputTokens, lastUserText, outputLength, parseDirectives, sleep, tokenText } from './mock-request.ts';
import { sendJson, streamEvents, type Timing } from './mock-http.ts';

/** Anthropic Messages, standard and streamed. input_tokens EXCLUDES cache reads and writes. */
export async function messages(body: Record<string, unknown>, res: ServerResponse, timing: Timing): Promise<void> {
  const model = String(body.model);
  const msgs = body.messages as unknown[];
  const d = parseDirectives(lastUserText(msgs));
  const n = outputLength(d, body.max_tokens as number, timing.outputTokens);
  const usage = {
    input_tokens: countInputTokens(msgs, body.system),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: d.cached ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: n,
    service_tier: 'standard',
  };
  const text = Array.from({ length: n }, (_, i) => tokenText(i)).join('');
  const stopReason = n === body.max_tokens ? 'max_tokens' : 'end_turn';
  const base = { id: `msg_${randomBytes(12).toString('hex')}`, type: 'message', role: 'assistant', model };
  await sleep(d.latency ?? 0);
  if (body.stream !== true) {
    return sendJson(res, 200, { ...base, content: [{ type: 'text', text }], stop_reason: stopReason, stop_sequence: null, usage });
  }
  const ev = (type: string, payload: Record<string, unknown>) => () => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
  const events = [
    ev('message_start', { message: { ...base, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
    ...Array.from({ length: n }, (_, i) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: tokenText(i) } })),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: n } }),
    ev('message_stop', {}),
  ];
  await streamEvents(res, events, d.delay ?? timing.tokenDelayMs, d.dropAfter === undefined ? undefined : d.dropAfter + 3);
}

export function anthropicModels(res: ServerResponse): void {
  const data = ['claude-sonnet-4-5', 'claude-haiku-4-5'].map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-09-29T00:00:00Z' }));
  sendJson(res, 200, { data, has_more: false, first_id: data[0]!.id, last_id: data.at(-1)!.id });
}
