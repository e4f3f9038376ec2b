// Server-side web search, as OpenAI's Responses API and Anthropic's Messages API run it:
// the model searches (each search's results come back as input the next pass reads),
// then answers. The number of searches follows a `mock:searches` directive (default 1
// when a search tool is offered), capped by the request's own limit.
import type { Directives } from './mock-directives.ts';
import { randomId } from './mock-http.ts';

/** Input tokens one search's results add. */
export const SEARCH_CONTENT_TOKENS = 500;

const typeOf = (tool: unknown): string => (tool !== null && typeof tool === 'object' && typeof (tool as { type?: unknown }).type === 'string' ? (tool as { type: string }).type : '');

/** OpenAI: `web_search*` tools, capped by `max_tool_calls`. */
export function openAiSearches(tools: unknown, maxToolCalls: unknown, d: Directives): number {
  if (!Array.isArray(tools) || !tools.some((t) => typeOf(t).startsWith('web_search'))) return 0;
  const cap = typeof maxToolCalls === 'number' ? maxToolCalls : Number.POSITIVE_INFINITY;
  return Math.min(d.searches ?? 1, cap);
}

/** Anthropic: a `web_search_*` tool, capped by its `max_uses`. */
export function anthropicSearches(tools: unknown, d: Directives): number {
  const tool = Array.isArray(tools) ? tools.find((t) => typeOf(t).startsWith('web_search_')) : undefined;
  if (!tool) return 0;
  const maxUses = (tool as { max_uses?: unknown }).max_uses;
  return Math.min(d.searches ?? 1, typeof maxUses === 'number' ? maxUses : Number.POSITIVE_INFINITY);
}

/** A Responses `web_search_call` output item. */
export const webSearchCall = (i: number) => ({ id: `ws_${randomId()}`, type: 'web_search_call', status: 'completed', action: { type: 'search', query: `mock query ${i}` } });

/** Anthropic's pair of content blocks for one search: the call and its (encrypted) results. */
export function anthropicSearchBlocks(i: number): readonly [Record<string, unknown>, Record<string, unknown>] {
  const id = `srvtoolu_01${randomId().slice(0, 22)}`;
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query: `mock query ${i}` } },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: [{ type: 'web_search_result', url: `https://example.com/result-${i}`, title: `Result ${i}`, encrypted_content: 'RW5jcnlwdGVkIHJlc3VsdA==', page_age: null }],
    },
  ];
}
