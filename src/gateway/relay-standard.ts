import type { FastifyReply } from 'fastify';
import type { Dispatcher } from 'undici';
import type { Admission } from './admit.ts';
import type { Outcome } from './charge.ts';
import { usageReaderFor } from './usage-readers.ts';
import type { EndpointSpec } from './endpoints.ts';

/**
 * Relays a whole (non-streamed) response. The body is read to the end even when
 * the client has gone: the provider bills the completion, so the ledger must too.
 */
export async function relayStandard(
  response: Dispatcher.ResponseData,
  spec: EndpointSpec,
  admission: Admission,
  reply: FastifyReply,
  startedAt: number,
): Promise<Outcome> {
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const latencyMs = performance.now() - startedAt;
  let usage = null;
  if (response.statusCode < 400) {
    try {
      usage = usageReaderFor(spec.endpoint).fromBody(JSON.parse(bytes.toString('utf8')));
    } catch {
      usage = null; // not JSON: relayed as is, recorded as usage_missing
    }
  }
  const contentType = response.headers['content-type'];
  reply
    .code(response.statusCode)
    .headers(admission.budgetHeaders)
    .header('content-type', typeof contentType === 'string' ? contentType : 'application/json')
    .send(bytes);
  return { httpStatus: response.statusCode, usage, partial: false, latencyMs };
}
