// Server-side tool calls a response reports, by the kind their fee is billed as
// (src/pricing/tool-fees.ts). Containers are not counted here: their fee follows from
// the request (a container is created for `container: {type: "auto"}` whether or not
// the model runs code).
import { isJsonObject } from './json-object.ts';

export type ReportedToolCalls = Readonly<Record<string, number>>;

// Responses API output item types, one billed call each.
const RESPONSES_CALL_KINDS: Readonly<Record<string, string>> = {
  web_search_call: 'web_search',
  file_search_call: 'file_search',
};

/** Counts one output item if it is a billed tool call. */
export function addResponsesItem(counts: Record<string, number>, item: unknown): void {
  const type = isJsonObject(item) ? item.type : undefined;
  const kind = typeof type === 'string' ? RESPONSES_CALL_KINDS[type] : undefined;
  if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
}

/** A Responses `output` array's billed tool calls, or undefined when there are none. */
export function responsesToolCalls(output: unknown): ReportedToolCalls | undefined {
  if (!Array.isArray(output)) return undefined;
  const counts: Record<string, number> = {};
  for (const item of output) addResponsesItem(counts, item);
  return Object.keys(counts).length > 0 ? counts : undefined;
}

/** Anthropic `usage.server_tool_use`: `web_search_requests`, `web_fetch_requests`. */
export function anthropicToolCalls(serverToolUse: { readonly web_search_requests?: number | null; readonly web_fetch_requests?: number | null } | null | undefined): ReportedToolCalls | undefined {
  if (!serverToolUse) return undefined;
  const counts: Record<string, number> = {};
  if (serverToolUse.web_search_requests) counts.web_search = serverToolUse.web_search_requests;
  if (serverToolUse.web_fetch_requests) counts.web_fetch = serverToolUse.web_fetch_requests;
  return Object.keys(counts).length > 0 ? counts : undefined;
}
