import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import { createSseParser } from '../providers/sse-parser.ts';
import type { Admission } from './admit.ts';
import type { UpstreamResponse } from './upstreams/upstream.ts';
import type { Outcome } from './charge.ts';
import type { EndpointSpec, RequestFacts } from './endpoints.ts';
import { usageReaderFor } from './usage-readers.ts';

/**
 * Relays an SSE stream event by event as it arrives, reading usage from the
 * stream itself. A client that leaves stops the upstream call and is charged for
 * what was generated; an upstream that drops is cut off the same way.
 */
export async function relayStream(
  response: UpstreamResponse,
  spec: EndpointSpec,
  facts: RequestFacts,
  admission: Admission,
  reply: FastifyReply,
  abort: AbortController,
  startedAt: number,
  bodyBytes: number,
  requestId: string,
): Promise<Outcome> {
  const tracker = usageReaderFor(spec.endpoint).tracker({ stripUsage: !facts.clientWantsStreamUsage });
  const res = reply.raw;
  reply.hijack();
  res.writeHead(response.statusCode, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
    ...admission.budgetHeaders,
  });
  res.flushHeaders();

  let clientGone = false;
  const onClose = () => {
    if (!res.writableFinished) {
      clientGone = true;
      abort.abort();
    }
  };
  res.on('close', onClose);
  const parser = createSseParser((event) => {
    const out = tracker.onEvent(event);
    if (out !== null && !clientGone) res.write(out);
  });

  let cut = false;
  try {
    for await (const chunk of response.body) {
      parser.push(chunk as Buffer);
      if (res.writableNeedDrain && !clientGone) await once(res, 'drain');
    }
    parser.end();
  } catch {
    cut = true;
  }
  res.off('close', onClose);
  const reported = tracker.usage();
  if (!clientGone) {
    // An upstream that dropped mid-stream must not look like a complete answer to the client.
    if (cut || !tracker.finished()) res.destroy();
    else res.end();
  }
  return {
    httpStatus: response.statusCode,
    // Without reported usage, what was generated is counted from the stream: an estimate.
    usage: reported ?? tracker.partialUsage(Math.ceil(bodyBytes / 4)),
    partial: reported === null,
    latencyMs: performance.now() - startedAt,
  };
}
