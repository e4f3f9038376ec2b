// Azure's content filter annotations, added to what the OpenAI handlers produce:
// `prompt_filter_results` for the input and `content_filter_results` per choice.
// Streamed, the prompt results come first in a chunk of their own (empty id, model
// and choices), and every choice chunk carries its choice's results.
import { relayTo, type Relay } from '../cloud/relay.ts';
import type { ServerResponse } from 'node:http';

const SAFE = { filtered: false, severity: 'safe' } as const;
const NOT_DETECTED = { filtered: false, detected: false } as const;

export const PROMPT_FILTER_RESULTS = [
  { prompt_index: 0, content_filter_results: { hate: SAFE, jailbreak: NOT_DETECTED, self_harm: SAFE, sexual: SAFE, violence: SAFE } },
];
export const CHOICE_FILTER_RESULTS = { hate: SAFE, protected_material_code: NOT_DETECTED, protected_material_text: NOT_DETECTED, self_harm: SAFE, sexual: SAFE, violence: SAFE };

type Json = Record<string, unknown>;

/** The chat completion body with Azure's annotations. */
export function annotateChat(body: Json): Json {
  const choices = Array.isArray(body.choices) ? body.choices.map((c: Json) => ({ ...c, content_filter_results: CHOICE_FILTER_RESULTS })) : body.choices;
  return { ...body, choices, prompt_filter_results: PROMPT_FILTER_RESULTS };
}

/** One streamed chat chunk with Azure's annotations; Azure sends no `obfuscation` padding. */
export function annotateChunk(chunk: Json): Json {
  const { obfuscation: _drop, ...rest } = chunk;
  if (!Array.isArray(rest.choices) || rest.choices.length === 0) return rest;
  const choices = rest.choices.map((c: Json) => {
    const delta = c.delta as { content?: unknown } | undefined;
    const hasText = typeof delta?.content === 'string' && delta.content !== '';
    return { ...c, content_filter_results: hasText ? CHOICE_FILTER_RESULTS : {} };
  });
  return { ...rest, choices };
}

export type AzureOperation = 'chat' | 'responses' | 'embeddings';

/** The response sink for one Azure request: Azure headers, annotations on chat, Azure's 429. */
export function azureRelay(res: ServerResponse, operation: AzureOperation, headers: Readonly<Record<string, string>>): ServerResponse {
  const relay: Relay = {
    headers: (_status, streaming) => ({ ...headers, 'content-type': streaming ? 'text/event-stream; charset=utf-8' : 'application/json', ...(streaming ? { 'cache-control': 'no-cache' } : {}) }),
    body(status, text) {
      if (status === 429) {
        const message = 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. (mock:status=429)';
        return { body: JSON.stringify({ error: { code: '429', message } }), headers: { 'retry-after': '1', 'retry-after-ms': '1000' } };
      }
      if (status !== 200 || operation !== 'chat') return { body: text };
      return { body: JSON.stringify(annotateChat(JSON.parse(text) as Json)) };
    },
    start: () =>
      operation === 'chat' ? `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS })}\n\n` : '',
    event(block) {
      if (operation !== 'chat' || !block.startsWith('data: {')) return `${block}\n\n`;
      return `data: ${JSON.stringify(annotateChunk(JSON.parse(block.slice(6)) as Json))}\n\n`;
    },
  };
  return relayTo(res, relay);
}
