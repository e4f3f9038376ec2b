import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { describeIssues } from '../../policy/load-resource-folder.ts';
import { admit, type AdmitDeps } from '../admit.ts';
import { authenticate } from '../authenticate.ts';
import { callUpstream, type UpstreamTimeouts } from '../call-upstream.ts';
import type { Charger, Outcome } from '../charge.ts';
import { countImages, ENDPOINTS, type EndpointSpec } from '../endpoints.ts';
import { GatewayError } from '../errors.ts';
import type { InFlight } from '../in-flight.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { PersonPolicy } from '../../policy/compile-policy.ts';
import type { PolicyStore } from '../policy-store.ts';
import { relayStandard } from '../relay-standard.ts';
import { relayStream } from '../relay-stream.ts';
import { geminiRoutes } from './gemini.route.ts';

export interface ProxyRouteOptions {
  readonly admitDeps: AdmitDeps;
  readonly policy: PolicyStore;
  readonly dispatcher: Dispatcher;
  readonly timeouts: UpstreamTimeouts;
  readonly charger: Charger;
  readonly metrics: GatewayMetrics;
  readonly inFlight: InFlight;
  readonly retryAfterSeconds: number;
}

/** The five steps of the request path, one route per provider endpoint. */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRouteOptions): Promise<void> {
  // Before the body is read: shed above the in-flight maximum (no reservation, no provider
  // call, nothing buffered), then check the key, so that a caller without a valid key never
  // gets its body buffered or parsed (no key + bad JSON is 401, not 400).
  app.addHook('onRequest', async function shedThenAuthenticate(request, reply) {
    if (!options.inFlight.tryAcquire()) {
      throw new GatewayError('overloaded', 'This gateway replica is at its limit of requests in flight. Retry shortly.', null, {
        'retry-after': String(options.retryAfterSeconds),
      });
    }
    // 'close' fires once the response has ended or the connection is gone, streams included.
    reply.raw.once('close', () => options.inFlight.release());
    request.person = authenticate(request, options.policy);
  });
  for (const spec of ENDPOINTS) {
    app.post(spec.route, (request, reply) => handle(options, spec, request, reply));
  }
  // Gemini's native API: generateContent, streamGenerateContent, countTokens.
  geminiRoutes(app, options, handle);
}

/** Steps 2–5 for one request of `spec`: admit, forward, relay, charge. */
export async function handle(options: ProxyRouteOptions, spec: EndpointSpec, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const person = request.person!;
  const parsed = spec.schema.safeParse(request.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError('invalid_request', `Invalid request body: ${describeIssues(parsed.error)}`, issue?.path.join('.') || null);
  }
  const body = parsed.data;
  const facts = spec.facts(body);
  const bodyBytes = request.bodyBytes ?? 0;
  const admitStarted = performance.now();
  const admission = await admit(options.admitDeps, request.id, person, spec, facts, bodyBytes, countImages(body, request.bodyHasImage === true), body);
  options.metrics.reservationSeconds.observe((performance.now() - admitStarted) / 1000);

  // The provider gets its own model id (`openai/gpt-4o` → `gpt-4o`; Gemini's is in the path). OpenAI-format
  // streams are asked for usage; the stream relay hides it again if the client did not ask.
  const upstreamBody =
    spec.wire === 'gemini'
      ? body
      : facts.stream && spec.endpoint === 'chat.completions' && !facts.clientWantsStreamUsage
      ? { ...body, model: admission.resolved.providerModelId, stream_options: { ...(body.stream_options as object | undefined), include_usage: true } }
      : { ...body, model: admission.resolved.providerModelId };
  const abort = new AbortController();
  const startedAt = performance.now();
  let outcome: Outcome;
  try {
    const response = await callUpstream(options.dispatcher, admission, spec, upstreamBody, request.headers, options.timeouts, abort.signal);
    const isStream = facts.stream && response.statusCode < 400 && String(response.headers['content-type']).includes('text/event-stream');
    if (isStream) {
      options.metrics.openStreams.inc();
      try {
        outcome = await relayStream(response, spec, facts, admission, reply, abort, startedAt, bodyBytes, request.id);
      } finally {
        options.metrics.openStreams.dec();
      }
    } else {
      outcome = await relayStandard(response, spec, admission, reply, startedAt, bodyBytes);
    }
  } catch (error) {
    const status = error instanceof GatewayError ? error.status : 502;
    void options.charger.charge(admission, { httpStatus: status, usage: null, partial: false, latencyMs: performance.now() - startedAt });
    throw error;
  }
  options.metrics.upstreamSeconds.observe({ provider: admission.provider, upstream: admission.upstream.name, stream: String(facts.stream) }, outcome.latencyMs / 1000);
  void options.charger.charge(admission, outcome);
}

declare module 'fastify' {
  interface FastifyRequest {
    bodyBytes?: number;
    bodyHasImage?: boolean;
    /** Set by the onRequest hook, before the body is read. */
    person?: PersonPolicy;
  }
}
