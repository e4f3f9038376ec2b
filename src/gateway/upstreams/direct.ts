// The providers' own APIs: OpenAI (or any OpenAI-compatible server), Anthropic, and the
// Gemini API (native `generateContent`, and its OpenAI-compatible endpoint). Requests go
// out as the client sent them, with the gateway's key instead of the caller's.
import type { Secret } from './secrets.ts';
import { asIs, bytesResponse, messageOf, readJson, refusedCredentials } from './upstream-response.ts';
import { headerValue, trimUrl, type Operation, type Upstream, type UpstreamRequest } from './upstream.ts';

/** OpenAI-format paths under a base URL that ends in `/v1`. */
export const OPENAI_PATHS: Readonly<Partial<Record<Operation, string>>> = {
  'chat.completions': '/chat/completions',
  responses: '/responses',
  embeddings: '/embeddings',
};
const isOpenAiOperation = (op: Operation): boolean => OPENAI_PATHS[op] !== undefined;

const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } as const;

/** Logs a platform's refusal of the gateway's credentials (never the credentials). */
export type UpstreamLog = (event: { readonly upstream: string; readonly status: number; readonly detail?: string }) => void;

export interface DirectConfig {
  readonly name: string;
  readonly baseUrl: string;
  readonly apiKey: Secret;
}

export function openaiUpstream(c: DirectConfig): Upstream {
  const base = trimUrl(c.baseUrl);
  return {
    name: c.name,
    kind: 'openai',
    serves: (op) => isOpenAiOperation(op),
    modelId: (m) => m.providerModelId,
    priceScope: () => null,
    prepare: async (r) => ({ url: `${base}${OPENAI_PATHS[r.operation]}`, headers: { ...json, authorization: `Bearer ${c.apiKey.value()}` }, body: JSON.stringify(r.body) }),
    adapt: async (response) => asIs(response),
  };
}

const FORWARDED_ANTHROPIC_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/** Anthropic's own headers from the client (`anthropic-version` defaults to 2023-06-01). */
export function anthropicHeaders(r: UpstreamRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_ANTHROPIC_HEADERS) {
    const value = headerValue(r.clientHeaders, name);
    if (value !== undefined) headers[name] = value;
  }
  headers['anthropic-version'] ??= '2023-06-01';
  return headers;
}

export function anthropicUpstream(c: DirectConfig): Upstream {
  const base = trimUrl(c.baseUrl);
  return {
    name: c.name,
    kind: 'anthropic',
    // Anthropic also serves the OpenAI format under /v1 (its OpenAI SDK compatibility).
    serves: (op) => op === 'messages' || isOpenAiOperation(op),
    modelId: (m) => m.providerModelId,
    priceScope: () => null,
    async prepare(r) {
      const body = JSON.stringify(r.body);
      if (r.operation === 'messages') {
        return { url: `${base}/v1/messages`, headers: { ...json, ...anthropicHeaders(r), 'x-api-key': c.apiKey.value() }, body };
      }
      return { url: `${base}/v1${OPENAI_PATHS[r.operation]}`, headers: { ...json, authorization: `Bearer ${c.apiKey.value()}` }, body };
    },
    adapt: async (response) => asIs(response),
  };
}

export interface GeminiConfig extends DirectConfig {
  /** The OpenAI-compatible base (default `<baseUrl>/v1beta/openai`). */
  readonly openaiBaseUrl?: string;
  readonly log?: UpstreamLog;
}

/** `generateContent`, `streamGenerateContent?alt=sse` or `countTokens` of a Gemini model resource. */
export function geminiMethodPath(r: UpstreamRequest): string {
  if (r.operation === 'count_tokens') return ':countTokens';
  return r.stream ? ':streamGenerateContent?alt=sse' : ':generateContent';
}

export function geminiUpstream(c: GeminiConfig): Upstream {
  const base = trimUrl(c.baseUrl);
  const openaiBase = trimUrl(c.openaiBaseUrl ?? `${base}/v1beta/openai`);
  const native = (op: Operation) => op === 'generate_content' || op === 'count_tokens';
  return {
    name: c.name,
    kind: 'gemini',
    serves: (op, provider) => (native(op) ? provider === 'google' : isOpenAiOperation(op)),
    modelId: (m) => m.providerModelId,
    priceScope: () => null,
    async prepare(r) {
      const body = JSON.stringify(r.body);
      if (native(r.operation)) {
        const url = `${base}/v1beta/models/${encodeURIComponent(r.modelId)}${geminiMethodPath(r)}`;
        return { url, headers: { ...json, 'x-goog-api-key': c.apiKey.value() }, body };
      }
      return { url: `${openaiBase}${OPENAI_PATHS[r.operation]}`, headers: { ...json, authorization: `Bearer ${c.apiKey.value()}` }, body };
    },
    async adapt(response, r) {
      // A wrong or revoked key is 400 with reason API_KEY_INVALID on the Gemini API, not 401.
      const status = response.statusCode;
      if (status === 401 || status === 403 || (status === 400 && native(r.operation))) {
        const { bytes, json: error } = await readJson(response);
        if (status !== 400 || JSON.stringify(error).includes('API_KEY_INVALID')) {
          c.log?.({ upstream: c.name, status, detail: messageOf(error) });
          return refusedCredentials(r.dialect, c.name, status);
        }
        return bytesResponse(status, response.headers, bytes);
      }
      return asIs(response);
    },
  };
}
