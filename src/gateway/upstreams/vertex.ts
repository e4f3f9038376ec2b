// Google Vertex AI: Anthropic's models and Gemini in a company's Google Cloud project.
//   Claude:  POST {base}/v1/projects/{p}/locations/{l}/publishers/anthropic/models/{m}:rawPredict | :streamRawPredict
//            the Messages body minus `model`, plus `anthropic_version: "vertex-2023-10-16"`; SSE out
//   Gemini:  POST {base}/v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent |
//            :streamGenerateContent?alt=sse | :countTokens — Gemini's own format
// with a service account's OAuth access token. Errors in Google's shape become
// Anthropic's on /v1/messages; Gemini clients get them as they are.
import type { Dispatcher } from 'undici';
import type { UpstreamLog } from './direct.ts';
import { geminiMethodPath } from './direct.ts';
import type { TokenSource } from './token-source.ts';
import { asIs, bytesResponse, errorResponse, kindOfStatus, messageOf, readJson, refusedCredentials } from './upstream-response.ts';
import { headerValue, trimUrl, without, type Upstream } from './upstream.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export interface VertexConfig {
  readonly name: string;
  readonly project: string;
  /** A region (us-east5, europe-west1, …) or `global`. */
  readonly location: string;
  /** Default https://{location}-aiplatform.googleapis.com (https://aiplatform.googleapis.com for global). */
  readonly endpoint?: string;
  /** Model → Vertex model id; unlisted Claude ids take Vertex's `name@date` form, Gemini ids stay as they are. */
  readonly models: Readonly<Record<string, string>>;
  readonly token: TokenSource;
  readonly log?: UpstreamLog;
}

/** `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5@20250929`: how Vertex names a dated Claude model. */
export const vertexClaudeId = (id: string): string => id.replace(/-(\d{8})$/, '@$1');

export function vertexUpstream(c: VertexConfig): Upstream {
  const base = trimUrl(c.endpoint ?? (c.location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${c.location}-aiplatform.googleapis.com`));
  const resource = `${base}/v1/projects/${encodeURIComponent(c.project)}/locations/${encodeURIComponent(c.location)}/publishers`;
  const scope = c.location === 'global' ? 'global' : 'regional';

  return {
    name: c.name,
    kind: 'vertex-ai',
    serves: (op, provider) => (provider === 'anthropic' && op === 'messages') || (provider === 'google' && (op === 'generate_content' || op === 'count_tokens')),
    modelId: (m) => c.models[m.providerModelId] ?? c.models[m.model] ?? (m.provider === 'anthropic' ? vertexClaudeId(m.providerModelId) : m.providerModelId),
    priceScope: () => ({ platform: 'vertex-ai', scope }),
    async prepare(r) {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${await c.token.token()}` };
      if (r.operation === 'messages') {
        const beta = headerValue(r.clientHeaders, 'anthropic-beta');
        if (beta !== undefined) headers['anthropic-beta'] = beta;
        const body = JSON.stringify({ ...without(r.body, 'model', 'anthropic_version'), anthropic_version: VERTEX_ANTHROPIC_VERSION });
        return { url: `${resource}/anthropic/models/${encodeURIComponent(r.modelId)}:${r.stream ? 'streamRawPredict' : 'rawPredict'}`, headers, body };
      }
      return { url: `${resource}/google/models/${encodeURIComponent(r.modelId)}${geminiMethodPath(r)}`, headers, body: JSON.stringify(r.body) };
    },
    async adapt(response: Dispatcher.ResponseData, r) {
      const status = response.statusCode;
      if (status < 400) return asIs(response);
      const { bytes, json } = await readJson(response);
      // Token refused or expired, no permission on the project, no such publisher model: configuration.
      if (status === 401 || status === 403 || status === 404) {
        c.log?.({ upstream: c.name, status, detail: messageOf(json) });
        return refusedCredentials(r.dialect, c.name, status);
      }
      // Claude's own validation errors already come in Anthropic's shape; Vertex's (quota, …) in Google's.
      if (r.dialect === 'anthropic' && (json as { type?: unknown } | null)?.type !== 'error') {
        return errorResponse('anthropic', status, kindOfStatus(status), messageOf(json) ?? `HTTP ${status}`);
      }
      return bytesResponse(status, response.headers, bytes);
    },
  };
}
