import type { FastifyReply } from 'fastify';
import { estimateUsage } from '../providers/usage-estimate.ts';
import type { Admission } from './admit.ts';
import type { UpstreamResponse } from './upstreams/upstream.ts';
import type { Outcome } from './charge.ts';
import { usageReaderFor } from './usage-readers.ts';
import type { EndpointSpec } from './endpoints.ts';

/**
 * Relays a whole (non-streamed) response. The body is read to the end even when
 * the client has gone: the provider bills the completion, so the ledger must too.
 */
export async function relayStandard(
  response: UpstreamResponse,
  spec: EndpointSpec,
  admission: Admission,
  reply: FastifyReply,
  startedAt: number,
  bodyBytes: number,
): Promise<Outcome> {
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const latencyMs = performance.now() - startedAt;
  let usage = null;
  let partial = false;
  if (response.statusCode < 400) {
    const reader = usageReaderFor(spec.endpoint);
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined; // not JSON: relayed as is, estimated from its length
    }
    usage = json === undefined ? null : reader.fromBody(json);
    if (!usage) {
      // A success without usage is charged at an estimate, like a cut stream: never free.
      usage = estimateUsage(reader.shape, json, Math.ceil(bodyBytes / 4), bytes.length);
      partial = true;
    }
  }
  const contentType = response.headers['content-type'];
  reply
    .code(response.statusCode)
    .headers(admission.budgetHeaders)
    .header('content-type', typeof contentType === 'string' ? contentType : 'application/json')
    .send(bytes);
  return { httpStatus: response.statusCode, usage, partial, latencyMs };
}
