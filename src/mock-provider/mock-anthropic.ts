// POST /v1/messages (Anthropic Messages), standard and streamed.
import type { MockContext } from './mock-context.ts';
import { randomId, sendJson, sendSse, sseEvent } from './mock-http.ts';
import { dropPoint, planOutput } from './mock-plan.ts';
import { anthropicDocumentTokens } from './mock-references.ts';
import { anthropicSearchBlocks, anthropicSearches, SEARCH_CONTENT_TOKENS } from './mock-server-tools.ts';
import type { MessagesBody } from './mock-schemas.ts';
import { countInputTokens, outputText, tokenText } from './mock-text.ts';

export async function messages(ctx: MockContext<MessagesBody>): Promise<void> {
  const { body, directives: d } = ctx;
  const plan = planOutput(body.model, body.max_tokens, d, ctx.outputTokens);
  const cacheRead = d.cached ?? 0;
  const cacheWrite = d.cacheWrite ?? 0;
  // Each search's results are read by the next pass: they count as input, and each search is reported.
  const searches = anthropicSearches(body.tools, d);
  const searchBlocks = Array.from({ length: searches }, (_, i) => anthropicSearchBlocks(i)).flat();
  // input_tokens EXCLUDES cache reads and cache writes (they are reported beside it).
  // output_tokens is never 0 at Anthropic, even for an empty answer.
  const usage = {
    input_tokens: d.inputTokens ?? countInputTokens(body.messages, body.system) + anthropicDocumentTokens(body.messages, d) + searches * SEARCH_CONTENT_TOKENS,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: Math.max(1, plan.visible),
    ...(searches > 0 ? { server_tool_use: { web_search_requests: searches, web_fetch_requests: 0 } } : {}),
    service_tier: 'standard',
  };
  const stopReason = plan.truncated ? 'max_tokens' : 'end_turn';
  const base = { id: `msg_01${randomId().slice(0, 22)}`, type: 'message', role: 'assistant', model: body.model };

  if (body.stream !== true) {
    const content = [...searchBlocks, ...(plan.visible > 0 ? [{ type: 'text', text: outputText(plan.visible) }] : [])];
    return sendJson(ctx.reply, 200, { ...base, content, stop_reason: stopReason, stop_sequence: null, ...(d.noUsage === 1 ? {} : { usage }) });
  }

  const ev = (type: string, payload: Record<string, unknown>) => sseEvent(type, { type, ...payload });
  // Search blocks first (a server_tool_use streams its input as JSON deltas; its result arrives whole), then the text.
  const searchEvents = searchBlocks.flatMap((block, index) =>
    block.type === 'server_tool_use'
      ? [
          ev('content_block_start', { index, content_block: { ...block, input: {} } }),
          ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }),
          ev('content_block_stop', { index }),
        ]
      : [ev('content_block_start', { index, content_block: block }), ev('content_block_stop', { index })],
  );
  const t = searchBlocks.length; // the text block's index
  const head = [
    // message_start reports the input side and an output of 1; message_delta the final counts.
    ev('message_start', { message: { ...base, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }),
    ...searchEvents,
    ev('content_block_start', { index: t, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
  ];
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens } = usage;
  const tail = [
    ev('content_block_stop', { index: t }),
    ev('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      // Cumulative totals, as the API sends them now (older streams carried output_tokens only).
      usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, ...('server_tool_use' in usage ? { server_tool_use: usage.server_tool_use } : {}) },
    }),
    ev('message_stop', {}),
  ];
  await sendSse(
    ctx.reply,
    {
      head,
      chunks: plan.visible,
      chunk: (i) => ev('content_block_delta', { index: t, delta: { type: 'text_delta', text: tokenText(i) } }),
      tail,
    },
    d.delay ?? ctx.tokenDelayMs,
    dropPoint(d, plan.visible),
  );
}
