import { errors, request, type Dispatcher } from 'undici';
import type { Admission } from './admit.ts';
import type { EndpointSpec } from './endpoints.ts';
import { GatewayError } from './errors.ts';
import { UpstreamSetupError, type UpstreamRequest, type UpstreamResponse } from './upstreams/upstream.ts';

export interface UpstreamTimeouts {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

/**
 * Sends the request to the upstream that serves the model: the upstream writes the call
 * (URL, credentials or signature, body) and reads the answer back into the client's
 * format. Connection and header-timeout failures become 502/504.
 */
export async function callUpstream(
  dispatcher: Dispatcher,
  admission: Admission,
  spec: EndpointSpec,
  body: Readonly<Record<string, unknown>>,
  clientHeaders: Readonly<Record<string, string | string[] | undefined>>,
  timeouts: UpstreamTimeouts,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  const { upstream } = admission;
  // Messages never name the upstream's URL or credentials: the provider, and the upstream when it is another.
  const who = upstream.name === admission.provider ? `The provider '${admission.provider}'` : `The provider '${admission.provider}' (upstream '${upstream.name}')`;
  const call: UpstreamRequest = { operation: spec.endpoint, dialect: spec.wire, stream: admission.stream, modelId: admission.modelId, body, clientHeaders };
  let prepared;
  try {
    prepared = await upstream.prepare(call);
  } catch (error) {
    if (error instanceof UpstreamSetupError) throw new GatewayError('upstream_error', `${who} could not be authenticated to. Your request was not charged.`);
    throw error;
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await request(prepared.url, {
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
      throw new GatewayError('upstream_timeout', `${who} did not answer in time.`);
    }
    throw new GatewayError('upstream_error', `${who} could not be reached.`);
  }
  return upstream.adapt(response, call);
}
