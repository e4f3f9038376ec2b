// Input a request makes the provider read beyond its body: stored previous responses,
// files and documents by id, URL or base64 PDF. Token counts are deterministic.
import type { Directives } from './mock-directives.ts';
import type { MockError } from './mock-errors.ts';

/** Input tokens a referenced file or document costs unless a `mock:file-tokens` directive says otherwise. */
export const FILE_TOKENS = 1_000;

/** What a stored response carries into the next one: its input and its output. */
export interface StoredResponse {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Responses created with `store` (the default), by id, for `previous_response_id`. */
export type ResponseStore = Map<string, StoredResponse>;

function countObjects(value: unknown, match: (o: Readonly<Record<string, unknown>>) => boolean): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      const o = v as Readonly<Record<string, unknown>>;
      if (match(o)) n++;
      for (const key in o) if (typeof o[key] === 'object') stack.push(o[key]);
    }
  }
  return n;
}

const record = (v: unknown): Readonly<Record<string, unknown>> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Responses API: a previous response brings its whole conversation (its input and its
 * output) into this one; each `input_file` part costs a file's tokens. An unknown
 * previous response is a 400, as OpenAI answers.
 */
export function responsesReferencedTokens(
  body: { readonly previous_response_id?: unknown; readonly input?: unknown },
  d: Directives,
  store: ResponseStore,
): { readonly tokens: number } | { readonly error: MockError } {
  let tokens = countObjects(body.input, (o) => o.type === 'input_file') * (d.fileTokens ?? FILE_TOKENS);
  const previous = body.previous_response_id;
  if (typeof previous === 'string' && previous !== '') {
    const stored = store.get(previous);
    if (!stored) {
      return { error: { status: 400, message: `Previous response with id '${previous}' not found.`, param: 'previous_response_id', code: 'previous_response_not_found' } };
    }
    tokens += stored.inputTokens + stored.outputTokens;
  }
  return { tokens };
}

/** Chat Completions: each `file` part costs a file's tokens. */
export const chatFileTokens = (messages: unknown, d: Directives): number => countObjects(messages, (o) => o.type === 'file') * (d.fileTokens ?? FILE_TOKENS);

/** Anthropic: each document fetched by URL, uploaded as a file or sent as a base64 PDF costs a file's tokens. */
export const anthropicDocumentTokens = (messages: unknown, d: Directives): number =>
  countObjects(messages, (o) => {
    const source = record(o.source);
    return o.type === 'document' && source !== null && (source.type === 'url' || source.type === 'file' || source.type === 'base64');
  }) * (d.fileTokens ?? FILE_TOKENS);
