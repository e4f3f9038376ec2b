import { errors, request, type Dispatcher } from 'undici';
import type { Admission } from './admit.ts';
import type { EndpointSpec } from './endpoints.ts';
import { GatewayError } from './errors.ts';

export interface UpstreamTimeouts {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

const FORWARDED_ANTHROPIC_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/** Sends the request to the provider. Connection and header-timeout failures become 502/504. */
export async function callUpstream(
  dispatcher: Dispatcher,
  admission: Admission,
  spec: EndpointSpec,
  body: string,
  clientHeaders: Readonly<Record<string, string | string[] | undefined>>,
  timeouts: UpstreamTimeouts,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  const { upstream } = admission;
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
    return await request(url, {
      method: 'POST',
      headers,
      body,
      dispatcher,
      signal,
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.bodyTimeoutMs,
    });
  } catch (error) {
    if (error instanceof errors.HeadersTimeoutError) {
      throw new GatewayError('upstream_timeout', `The provider '${admission.provider}' did not answer in time.`);
    }
    // The message never includes the upstream URL's credentials: we name only the provider.
    throw new GatewayError('upstream_error', `The provider '${admission.provider}' could not be reached.`);
  }
}
