import { errors, request as undiciRequest, type Dispatcher } from 'undici';
import type { Admission } from './admit.ts';
import { GatewayError } from './errors.ts';
import type { RequestContext } from './request-context.ts';
import { UpstreamSetupError, type UpstreamRequest, type UpstreamResponse } from './upstreams/upstream.ts';

export interface UpstreamTimeouts {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

/**
 * What the provider gets: its own model id (`openai/gpt-4o` → `gpt-4o`; Gemini's is in the
 * path), and usage asked for on OpenAI-format streams (the stream relay hides it again if
 * the client did not ask).
 */
export function upstreamBody(request: RequestContext, admission: Admission): Readonly<Record<string, unknown>> {
  const { body, facts, spec } = request;
  const model = admission.resolved.providerModelId;
  if (spec.wire === 'gemini') return body;
  return facts.stream && spec.endpoint === 'chat.completions' && !facts.clientWantsStreamUsage
    ? { ...body, model, stream_options: { ...(body.stream_options as object | undefined), include_usage: true } }
    : { ...body, model };
}

/**
 * Sends the request to the upstream that serves the model: the upstream writes the call
 * (URL, credentials or signature, body) and reads the answer back into the client's
 * format. A header timeout becomes 504 and any other failure to get an answer 502, naming
 * only the provider (never the URL or its credentials); the underlying error stays on the
 * GatewayError's `cause` for the log and the metrics (upstream-failure.ts).
 */
export async function callUpstream(
  dispatcher: Dispatcher,
  request: RequestContext,
  admission: Admission,
  timeouts: UpstreamTimeouts,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  const { upstream } = admission;
  const { spec, clientHeaders } = request;
  const body = upstreamBody(request, admission);
  // Messages never name the upstream's URL or credentials: the provider, and the upstream when it is another.
  const who = upstream.name === admission.provider ? `The provider '${admission.provider}'` : `The provider '${admission.provider}' (upstream '${upstream.name}')`;
  const call: UpstreamRequest = { operation: spec.endpoint, dialect: spec.wire, stream: admission.stream, modelId: admission.modelId, body, clientHeaders };
  let prepared;
  try {
    prepared = await upstream.prepare(call);
  } catch (error) {
    if (error instanceof UpstreamSetupError) {
      // A credential service that is down (STS, Entra ID, the metadata server) is worth a retry; a refusal is not.
      if (error.transient) throw new GatewayError('unavailable', `${who} could not be authenticated to right now: its credential service did not answer. Retry shortly; your request was not charged.`, { cause: error, headers: { 'retry-after': '5' } });
      throw new GatewayError('upstream_error', `${who} could not be authenticated to. Your request was not charged.`, { cause: error });
    }
    throw error;
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await undiciRequest(prepared.url, {
      method: 'POST',
      headers: prepared.headers,
      body: prepared.body,
      dispatcher,
      signal,
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.bodyTimeoutMs,
    });
  } catch (error) {
    if (error instanceof errors.HeadersTimeoutError) {
      throw new GatewayError('upstream_timeout', `${who} did not answer in time.`, { cause: error });
    }
    throw new GatewayError('upstream_error', `${who} could not be reached.`, { cause: error });
  }
  return upstream.adapt(response, call);
}
