import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { describeIssues } from '../../config/describe-issues.ts';
import { admit, type AdmitDeps } from '../admit.ts';
import { authenticate } from '../authenticate.ts';
import { callUpstream, type UpstreamTimeouts } from '../call-upstream.ts';
import type { Charger } from '../charge.ts';
import { countImages, ENDPOINTS, type EndpointSpec } from '../endpoints.ts';
import { GatewayError } from '../errors.ts';
import type { InFlight } from '../in-flight.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { PersonPolicy } from '../../policy/compile-policy.ts';
import type { PolicyStore } from '../policy-store.ts';
import type { Outcome, ReceivedBody, RequestContext, UpstreamCall } from '../request-context.ts';
import { relayStandard } from '../relay-standard.ts';
import { relayStream } from '../relay-stream.ts';
import { upstreamFailure } from '../upstream-failure.ts';
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
      throw new GatewayError('overloaded', 'This gateway replica is at its limit of requests in flight. Retry shortly.', {
        headers: { 'retry-after': String(options.retryAfterSeconds) },
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
  const received = request.body as ReceivedBody;
  const parsed = spec.schema.safeParse(received.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError('invalid_request', `Invalid request body: ${describeIssues(parsed.error, '(root)')}`, { param: issue?.path.join('.') || null });
  }
  const body = parsed.data;
  const ctx: RequestContext = {
    id: request.id,
    person: request.person!,
    spec,
    body,
    facts: spec.facts(body),
    bodyBytes: received.bytes,
    imageCount: countImages(body, received.mentionsImage),
    clientHeaders: request.headers,
  };
  const admitStarted = performance.now();
  const admission = await admit(options.admitDeps, ctx);
  options.metrics.reservationSeconds.observe((performance.now() - admitStarted) / 1000);

  const abort = new AbortController();
  const startedAt = performance.now();
  let outcome: Outcome;
  try {
    const response = await callUpstream(options.dispatcher, ctx, admission, options.timeouts, abort.signal);
    const call: UpstreamCall = { request: ctx, admission, response, abort, startedAt };
    const isStream = ctx.facts.stream && response.statusCode < 400 && String(response.headers['content-type']).includes('text/event-stream');
    if (isStream) {
      options.metrics.openStreams.inc();
      try {
        outcome = await relayStream(call, reply);
      } finally {
        options.metrics.openStreams.dec();
      }
    } else {
      outcome = await relayStandard(call, reply);
    }
  } catch (error) {
    const status = error instanceof GatewayError ? error.status : 502;
    if (error instanceof GatewayError && error.cause !== undefined) {
      options.metrics.upstreamErrors.inc({ provider: admission.provider, reason: upstreamFailure(error.cause).reason });
    }
    void options.charger.charge(admission, { httpStatus: status, usage: null, partial: false, latencyMs: performance.now() - startedAt });
    throw error;
  }
  options.metrics.upstreamSeconds.observe({ provider: admission.provider, upstream: admission.upstream.name, stream: String(ctx.facts.stream) }, outcome.latencyMs / 1000);
  void options.charger.charge(admission, outcome);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the onRequest hook, before the body is read. */
    person?: PersonPolicy;
  }
}
