// Usage estimated from a successful response that reports none (a provider or an
// OpenAI-compatible server that leaves `usage` out, or `null`): like a cut stream, input
// from the request's size and output from the text generated, so it is never free.
import { geminiGeneratedPieces } from './gemini-usage.ts';
import { isJsonObject } from './json-object.ts';
import { createOutputEstimate } from './output-estimate.ts';
import { responsesToolCalls } from './tool-calls.ts';
import { zeroUsage, type Usage } from './usage.ts';

export type ResponseShape = 'chat' | 'responses' | 'messages' | 'embeddings' | 'gemini';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const field = (o: unknown, key: string): unknown => (isJsonObject(o) ? o[key] : undefined);

/** Generated pieces of text: each counts as at least one token. */
function generatedPieces(shape: ResponseShape, body: unknown): string[] {
  const pieces: string[] = [];
  if (shape === 'chat') {
    for (const choice of list(field(body, 'choices'))) {
      const message = field(choice, 'message');
      pieces.push(str(field(message, 'content')), str(field(message, 'refusal')), str(field(message, 'reasoning_content')));
      for (const call of list(field(message, 'tool_calls'))) pieces.push(str(field(field(call, 'function'), 'name')), str(field(field(call, 'function'), 'arguments')));
    }
  } else if (shape === 'responses') {
    for (const item of list(field(body, 'output'))) {
      pieces.push(str(field(item, 'arguments')), str(field(item, 'input')));
      for (const part of [...list(field(item, 'content')), ...list(field(item, 'summary'))]) pieces.push(str(field(part, 'text')), str(field(part, 'refusal')));
    }
  } else if (shape === 'gemini') {
    pieces.push(...geminiGeneratedPieces(body));
  } else if (shape === 'messages') {
    for (const block of list(field(body, 'content'))) {
      pieces.push(str(field(block, 'text')), str(field(block, 'thinking')));
      if (field(block, 'type') === 'tool_use') pieces.push(JSON.stringify(field(block, 'input') ?? {}));
    }
  }
  return pieces;
}

/** Anthropic server tool uses in the content, by kind (`web_search`, `web_fetch`). */
function anthropicToolUses(body: unknown): Readonly<Record<string, number>> | undefined {
  const counts: Record<string, number> = {};
  for (const block of list(field(body, 'content'))) {
    const name = field(block, 'name');
    if (field(block, 'type') === 'server_tool_use' && (name === 'web_search' || name === 'web_fetch')) counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.keys(counts).length > 0 ? counts : undefined;
}

/**
 * Usage of a 2xx response without usage. `body` is the parsed JSON, or undefined when the
 * body was not JSON (then every 4 bytes of it count as one output token).
 */
export function estimateUsage(shape: ResponseShape, body: unknown, inputTokens: number, responseBytes: number): Usage {
  const output = createOutputEstimate();
  if (body === undefined) {
    return { ...zeroUsage, inputTokens, outputTokens: Math.ceil(responseBytes / 4) };
  }
  for (const piece of generatedPieces(shape, body)) output.add(piece);
  const toolCalls = shape === 'responses' ? responsesToolCalls(field(body, 'output')) : shape === 'messages' ? anthropicToolUses(body) : undefined;
  return { ...zeroUsage, inputTokens, outputTokens: output.tokens(), ...(toolCalls ? { toolCalls } : {}) };
}
