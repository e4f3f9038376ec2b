import { errors, request as undiciRequest, type Dispatcher } from 'undici';
import type { Admission } from './admit.ts';
import { GatewayError } from './errors.ts';
import type { RequestContext } from './request-context.ts';

export interface UpstreamTimeouts {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

const FORWARDED_ANTHROPIC_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/** What the provider gets: its own model id (`openai/gpt-4o` → `gpt-4o`), and usage asked for on OpenAI-format streams. */
export function upstreamBody(request: RequestContext, admission: Admission): string {
  const { body, facts, spec } = request;
  const model = admission.resolved.providerModelId;
  // The stream relay hides the usage chunk again if the client did not ask for it.
  return JSON.stringify(
    facts.stream && spec.endpoint === 'chat.completions' && !facts.clientWantsStreamUsage
      ? { ...body, model, stream_options: { ...(body.stream_options as object | undefined), include_usage: true } }
      : { ...body, model },
  );
}

/**
 * Sends the request to the provider. A header timeout becomes 504 and any other failure to
 * get an answer 502, naming only the provider (never the URL or its credentials); the
 * underlying error stays on the GatewayError's `cause` for the log and the metrics.
 */
export async function callUpstream(
  dispatcher: Dispatcher,
  request: RequestContext,
  admission: Admission,
  timeouts: UpstreamTimeouts,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  const { upstream } = admission;
  const { spec, clientHeaders } = request;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let url: string;
  if (spec.wire === 'anthropic') {
    url = `${upstream.anthropicBaseUrl}${spec.upstreamPath}`;
    for (const name of FORWARDED_ANTHROPIC_HEADERS) {
      const value = clientHeaders[name];
      if (typeof value === 'string') headers[name] = value;
    }
    headers['anthropic-version'] ??= '2023-06-01';
    Object.assign(headers, upstream.anthropicAuth);
  } else {
    url = `${upstream.openaiBaseUrl}${spec.upstreamPath}`;
    Object.assign(headers, upstream.openaiAuth);
  }
  try {
    return await undiciRequest(url, {
      method: 'POST',
      headers,
      body: upstreamBody(request, admission),
      dispatcher,
      signal,
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.bodyTimeoutMs,
    });
  } catch (error) {
    if (error instanceof errors.HeadersTimeoutError) {
      throw new GatewayError('upstream_timeout', `The provider '${admission.provider}' did not answer in time.`, { cause: error });
    }
    throw new GatewayError('upstream_error', `The provider '${admission.provider}' could not be reached.`, { cause: error });
  }
}
