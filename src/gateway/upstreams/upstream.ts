// An upstream is one place a model is served from, with its own credentials: OpenAI,
// Anthropic or the Gemini API directly, or a cloud platform (Azure OpenAI, Amazon
// Bedrock, Vertex AI). Clients keep speaking OpenAI's, Anthropic's or Gemini's format;
// an upstream turns the request into its platform's call (URL, auth, body) and the
// answer back into the client's format (framing, errors).
import type { Dispatcher } from 'undici';

export const UPSTREAM_KINDS = ['openai', 'anthropic', 'gemini', 'azure-openai', 'bedrock', 'vertex-ai'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

/** What the client called (the gateway's endpoints). */
export type Operation = 'chat.completions' | 'responses' | 'embeddings' | 'messages' | 'generate_content' | 'count_tokens';
/** The format the client speaks, and so the format answers and errors must have. */
export type Dialect = 'openai' | 'anthropic' | 'gemini';

/** How a cloud platform prices a model it serves (docs/providers.md, "Prices per platform"). */
export interface PlatformScope {
  readonly platform: 'azure-openai' | 'bedrock' | 'vertex-ai';
  /** Global endpoints (and Azure Global deployments) vs regional / data-zone ones. */
  readonly scope: 'global' | 'regional' | 'data-zone';
}

export interface UpstreamRequest {
  readonly operation: Operation;
  readonly dialect: Dialect;
  readonly stream: boolean;
  /** The id this upstream serves the model under (from `modelId`). */
  readonly modelId: string;
  /** The client's body, its `model` already the provider's own id. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly clientHeaders: Readonly<Record<string, string | string[] | undefined>>;
}

export interface PreparedRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the relays read of a response: undici's, or one an upstream rewrote. */
export interface UpstreamResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: AsyncIterable<Uint8Array> & { arrayBuffer(): Promise<ArrayBuffer> };
}

export interface Upstream {
  /** The name the ledger records (`upstream` column): the contract it bills to. */
  readonly name: string;
  readonly kind: UpstreamKind;
  /** Whether this upstream takes the operation for a model of `provider`. */
  serves(operation: Operation, provider: string): boolean;
  /** The id this upstream knows the model by, or null when it is not configured to serve it. */
  modelId(model: { readonly provider: string; readonly model: string; readonly providerModelId: string }): string | null;
  /** Null: priced as at the model's own provider (the direct APIs). */
  priceScope(modelId: string): PlatformScope | null;
  /** URL, headers (credentials, a signature) and body of the call. May fetch a token. */
  prepare(request: UpstreamRequest): Promise<PreparedRequest>;
  /** The answer in the client's dialect (stream framing, error shapes); identity for most. */
  adapt(response: Dispatcher.ResponseData, request: UpstreamRequest): Promise<UpstreamResponse>;
}

/**
 * A failure before the call could be made (a token endpoint down, a credential unreadable).
 * `transient`: the credential service could not be reached or failed (5xx) — worth a retry
 * (503); otherwise it refused the gateway's identity or configuration (502).
 */
export class UpstreamSetupError extends Error {
  override readonly name = 'UpstreamSetupError';
  readonly transient: boolean;
  constructor(message: string, options: { readonly transient?: boolean } = {}) {
    super(message);
    this.transient = options.transient ?? false;
  }
}

const trim = (url: string): string => url.replace(/\/+$/, '');
export { trim as trimUrl };

/** The client's value of a header, when it sent exactly one. */
export const headerValue = (headers: UpstreamRequest['clientHeaders'], name: string): string | undefined => {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** The body without the fields a platform takes from the path. */
export function without(body: Readonly<Record<string, unknown>>, ...keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in body) if (!keys.includes(key)) out[key] = body[key];
  return out;
}
