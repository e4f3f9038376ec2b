// POST /v1/responses, standard and streamed (typed events with sequence numbers).
import { obfuscation, unixSeconds, type MockContext } from './mock-context.ts';
import { randomId, sendError, sendJson, sendSse, sseEvent } from './mock-http.ts';
import { dropPoint, planOutput } from './mock-plan.ts';
import { responsesReferencedTokens } from './mock-references.ts';
import { openAiSearches, SEARCH_CONTENT_TOKENS, webSearchCall } from './mock-server-tools.ts';
import type { ResponsesBody } from './mock-schemas.ts';
import { countInputTokens, outputText, tokenText } from './mock-text.ts';

export async function responses(ctx: MockContext<ResponsesBody>): Promise<void> {
  const { body, directives: d } = ctx;
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? []);
  const referenced = responsesReferencedTokens(body, d, ctx.responses);
  if ('error' in referenced) return sendError(ctx.reply, referenced.error);
  const plan = planOutput(body.model, body.max_output_tokens, d, ctx.outputTokens);
  const cached = d.cached ?? 0;
  // Each search's results are read by the next pass: they count as input.
  const searches = openAiSearches(body.tools, body.max_tool_calls, d);
  const inputTokens = (d.inputTokens ?? countInputTokens(input, body.instructions) + referenced.tokens + searches * SEARCH_CONTENT_TOKENS) + cached;
  const outputTokens = plan.visible + plan.reasoning;
  // input_tokens INCLUDES cached_tokens; output_tokens INCLUDES reasoning_tokens.
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: plan.reasoning },
    total_tokens: inputTokens + outputTokens,
  };
  const status = plan.truncated ? 'incomplete' : 'completed';
  const text = outputText(plan.visible);
  const reasoningItem = plan.reasoning > 0 ? { id: `rs_${randomId()}`, type: 'reasoning', summary: [] } : null;
  // Output items before the message: reasoning, then one web_search_call per search.
  const leading: Record<string, unknown>[] = [...(reasoningItem ? [reasoningItem] : []), ...Array.from({ length: searches }, (_, i) => webSearchCall(i))];
  // A reasoning model that spent the whole cap thinking has no message at all.
  const hasMessage = !(reasoningItem && plan.truncated && plan.visible === 0);
  const msgId = `msg_${randomId()}`;
  const part = (t: string) => ({ type: 'output_text', annotations: [], logprobs: [], text: t });
  const message = (s: string, content: unknown[]) => ({ id: msgId, type: 'message', status: s, content, role: 'assistant' });
  const finalOutput = [...leading, ...(hasMessage ? [message(status, [part(text)])] : [])];
  const createdAt = unixSeconds();
  const respId = `resp_${randomId()}`;
  if (body.store !== false) ctx.responses.set(respId, { inputTokens, outputTokens });
  const reported = d.noUsage === 1 ? null : usage;
  const response = (s: string, output: unknown[], done: boolean) => ({
    id: respId, object: 'response', created_at: createdAt, status: s, background: false, error: null,
    incomplete_details: done && plan.truncated ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null, max_tool_calls: body.max_tool_calls ?? null,
    model: body.model, output, parallel_tool_calls: true, previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: reasoningItem ? 'medium' : null, summary: null }, service_tier: 'default', store: true,
    temperature: 1, text: { format: { type: 'text' }, verbosity: 'medium' }, tool_choice: 'auto', tools: body.tools ?? [],
    top_logprobs: 0, top_p: 1, truncation: 'disabled', usage: done ? reported : null, user: null, metadata: {},
  });

  if (body.stream !== true) return sendJson(ctx.reply, 200, response(status, finalOutput, true));

  const obfuscate = body.stream_options?.include_obfuscation !== false;
  const m = leading.length; // the message's output_index
  const at = { item_id: msgId, output_index: m, content_index: 0 };
  const head: [string, Record<string, unknown>][] = [
    ['response.created', { response: response('in_progress', [], false) }],
    ['response.in_progress', { response: response('in_progress', [], false) }],
  ];
  leading.forEach((item, i) => head.push(['response.output_item.added', { output_index: i, item }], ['response.output_item.done', { output_index: i, item }]));
  if (hasMessage) head.push(['response.output_item.added', { output_index: m, item: message('in_progress', []) }], ['response.content_part.added', { ...at, part: part('') }]);
  const tail: [string, Record<string, unknown>][] = hasMessage
    ? [
        ['response.output_text.done', { ...at, text, logprobs: [] }],
        ['response.content_part.done', { ...at, part: part(text) }],
        ['response.output_item.done', { output_index: m, item: message(status, [part(text)]) }],
      ]
    : [];
  tail.push([`response.${status}`, { response: response(status, finalOutput, true) }]);
  // Sequence numbers follow emission order: head, then one per delta, then tail.
  const ev = ([type, payload]: [string, Record<string, unknown>], seq: number) => sseEvent(type, { type, sequence_number: seq, ...payload });
  const deltas = hasMessage ? plan.visible : 0;
  await sendSse(
    ctx.reply,
    {
      head: head.map((e, i) => ev(e, i)),
      chunks: deltas,
      chunk: (i) =>
        ev(['response.output_text.delta', { ...at, delta: tokenText(i), logprobs: [], ...(obfuscate ? { obfuscation: obfuscation(i) } : {}) }], head.length + i),
      tail: tail.map((e, j) => ev(e, head.length + deltas + j)),
    },
    d.delay ?? ctx.tokenDelayMs,
    dropPoint(d, deltas),
  );
}
