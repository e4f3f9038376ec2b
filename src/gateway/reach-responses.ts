import type { ResolvedModel } from '../pricing/catalog.ts';
import { toolFee, withRate, type ToolFeeRates } from '../pricing/tool-fees.ts';
import { callCap, eachObject, isRecord, refuse, type ReachResult } from './reach-shared.ts';

// Tools the client runs: the model only emits a call, one pass per request.
const CLIENT_TOOLS: ReadonlySet<string> = new Set(['function', 'custom', 'computer_use_preview', 'computer', 'local_shell', 'apply_patch']);
// Tools the provider runs without a per-call fee: each call still adds a model pass.
const UNPRICED_SERVER_TOOLS: ReadonlySet<string> = new Set(['mcp']);
// Code Interpreter container sizes whose price is confirmed (tool-fees.data.ts).
const PRICED_CONTAINER_MEMORY: ReadonlySet<string> = new Set(['1g']);

/** The first thing in a Responses body that makes OpenAI read input it does not carry. */
function outsideInput(body: Readonly<Record<string, unknown>>): string | null {
  if (typeof body.previous_response_id === 'string' && body.previous_response_id !== '') return 'previous_response_id';
  if (body.conversation != null) return 'conversation';
  if (isRecord(body.prompt)) return 'prompt (a stored prompt)';
  let found: string | null = null;
  eachObject(body.input, (o) => {
    if (found) return;
    if (o.type === 'item_reference') found = 'an item_reference input';
    // A file is read by id or URL; inline PDF data is rendered page by page (text and an image
    // per page), so its bytes do not bound its tokens either.
    else if (o.type === 'input_file') found = 'an input_file';
  });
  return found;
}

/**
 * `/v1/responses`: previous responses, conversations, stored prompts, item references and
 * files are read at the model's context window; built-in tools need `max_tool_calls`
 * (each call: its fee and one more pass over at most the window). `background: true` is
 * refused: the response is generated and billed after this request ends.
 */
export function responsesReach(body: Readonly<Record<string, unknown>>, model: ResolvedModel): ReachResult {
  if (body.background === true) {
    return refuse('Background responses are not supported through this gateway: they are generated and billed after the request ends, where their cost cannot be metered. Send the request without `background`.', 'background');
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  let rates: ToolFeeRates = {};
  let server = false;
  let fixedFeesNanos = 0n;
  for (const [index, tool] of tools.entries()) {
    const type = isRecord(tool) && typeof tool.type === 'string' ? tool.type : '';
    const param = `tools.${index}`;
    if (CLIENT_TOOLS.has(type)) continue;
    if (type === 'shell') {
      const environment = isRecord(tool) ? tool.environment : undefined;
      if (isRecord(environment) && environment.type !== 'local') {
        return refuse('The hosted shell tool is not supported through this gateway: its container time has no confirmed price. Use a local shell.', param);
      }
      continue;
    }
    if (UNPRICED_SERVER_TOOLS.has(type)) {
      server = true;
      continue;
    }
    const fee = toolFee(model.provider, type, model.model);
    if (!fee) {
      return refuse(`The tool type '${type || '(none)'}' is not supported through this gateway: its cost cannot be bounded before the call.`, param);
    }
    server = true;
    if (fee.kind === 'code_container') {
      const container = isRecord(tool) ? tool.container : undefined;
      if (isRecord(container)) {
        const memory = typeof container.memory_limit === 'string' ? container.memory_limit : '1g';
        if (!PRICED_CONTAINER_MEMORY.has(memory)) {
          return refuse(`A code_interpreter container with memory_limit '${memory}' is not supported through this gateway: only 1g containers have a confirmed price.`, `${param}.container.memory_limit`);
        }
        // A new container is created (and billed) for the request whether or not code runs.
        fixedFeesNanos += fee.perCallNanos;
      }
      // An existing container (by id) was billed when it was created.
      continue;
    }
    rates = withRate(rates, fee.kind, fee.perCallNanos);
  }
  let serverToolCalls = 0;
  let callFeesNanos = 0n;
  if (server) {
    const cap = callCap(body.max_tool_calls);
    if (cap === null) {
      return refuse("Built-in tools need 'max_tool_calls' through this gateway: each call can add a fee and another pass over the whole context, so the request's cost is reserved for that many calls.", 'max_tool_calls');
    }
    serverToolCalls = cap;
    const dearest = Object.values(rates).reduce<bigint>((a, b) => (b !== undefined && b > a ? b : a), 0n);
    callFeesNanos = BigInt(cap) * dearest;
  }
  return { ok: true, reach: { outside: outsideInput(body), serverToolCalls, toolRates: rates, callFeesNanos, fixedFeesNanos } };
}
