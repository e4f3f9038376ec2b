import type { ResolvedModel } from '../pricing/catalog.ts';
import { toolFamily, toolFee, type ToolFeeRates } from '../pricing/tool-fees.ts';
import { callCap, eachObject, isRecord, refuse, type ReachResult } from './reach-shared.ts';

// Versioned tool types the client runs (bash_20250124, text_editor_20250728, computer_…, memory_…).
const CLIENT_TOOL_FAMILIES: ReadonlySet<string> = new Set(['bash', 'text_editor', 'computer', 'memory']);
// Server tools billed by container time, with no per-request cap on it.
const CONTAINER_TOOL = /code_execution/;
// Document sources whose tokens the body's bytes do not bound: fetched by URL, uploaded
// files, and base64 PDFs (each page becomes text plus an image).
const OUTSIDE_SOURCES: ReadonlySet<string> = new Set(['url', 'file', 'base64']);

/** The first content block that makes Anthropic read input the body does not carry. */
function outsideInput(messages: unknown): string | null {
  let found: string | null = null;
  eachObject(messages, (o) => {
    if (found || o.type !== 'document') return;
    const source = isRecord(o.source) ? o.source.type : undefined;
    if (typeof source === 'string' && OUTSIDE_SOURCES.has(source)) found = `a document block (source ${source})`;
  });
  return found;
}

/**
 * `/v1/messages`: documents by URL, file or base64 PDF are read at the model's context
 * window (images keep their per-image bound); server tools need `max_uses` (web search:
 * $10 / 1,000, web fetch: tokens only), each use adding one pass over at most the window.
 * Code execution (billed by container time) and the MCP connector (no cap on calls) are
 * refused.
 */
export function messagesReach(body: Readonly<Record<string, unknown>>, model: ResolvedModel): ReachResult {
  if (Array.isArray(body.mcp_servers) && body.mcp_servers.length > 0) {
    return refuse('The MCP connector (mcp_servers) is not supported through this gateway: Anthropic runs its tool calls with no per-request cap, so their cost cannot be bounded.', 'mcp_servers');
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  let rates: ToolFeeRates = {};
  let serverToolCalls = 0;
  let callFeesNanos = 0n;
  for (const [index, tool] of tools.entries()) {
    const type = isRecord(tool) && typeof tool.type === 'string' ? tool.type : 'custom';
    const param = `tools.${index}`;
    if (type === 'custom' || CLIENT_TOOL_FAMILIES.has(toolFamily(type))) continue;
    if (CONTAINER_TOOL.test(type)) {
      return refuse(`The tool type '${type}' is not supported through this gateway: code execution is billed by container time, which no request field caps.`, param);
    }
    const fee = toolFee(model.provider, type, model.model);
    if (!fee) {
      return refuse(`The tool type '${type}' is not supported through this gateway: its cost cannot be bounded before the call.`, param);
    }
    const uses = isRecord(tool) ? callCap(tool.max_uses) : null;
    if (uses === null) {
      return refuse(`The ${toolFamily(type)} tool needs 'max_uses' through this gateway: each use can add a fee and another pass over the whole context, so the request's cost is reserved for that many uses.`, `${param}.max_uses`);
    }
    serverToolCalls += uses;
    callFeesNanos += BigInt(uses) * fee.perCallNanos;
    rates = { ...rates, [fee.kind]: fee.perCallNanos };
  }
  return { ok: true, reach: { outside: outsideInput(body.messages), serverToolCalls, toolRates: rates, callFeesNanos, fixedFeesNanos: 0n } };
}
