// Gemini's native API at the gateway, for @google/genai, the Gemini CLI and Google's REST
// examples: POST /v1beta/models/{model}:generateContent | :streamGenerateContent?alt=sse |
// :countTokens (and the same under /v1, which @google/genai 3.x calls by default). The key
// comes as `x-goog-api-key` or `?key=` (redacted from logs). Generation is admitted,
// reserved and charged like every other call; countTokens is free at Google and is only
// checked against the allow list. Errors come in Google's shape.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as send } from 'undici';
import { GatewayError } from '../errors.ts';
import { geminiSpec, parseGeminiTarget } from '../gemini-endpoints.ts';
import type { EndpointSpec } from '../endpoints.ts';
import type { UpstreamRequest } from '../upstreams/upstream.ts';
import type { ProxyRouteOptions } from './proxy.route.ts';

type Handle = (options: ProxyRouteOptions, spec: EndpointSpec, request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function geminiRoutes(app: FastifyInstance, options: ProxyRouteOptions, handle: Handle): void {
  const route = (version: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const target = parseGeminiTarget((request.params as { '*': string })['*']);
    if (!target) throw new GatewayError('not_found', `Unknown route ${request.method} ${request.url.split('?')[0]}.`);
    const path = `/${version}/models/${target.model}:${target.method}`;
    switch (target.method) {
      case 'generateContent':
        return handle(options, geminiSpec(path, target.model, false), request, reply);
      case 'streamGenerateContent':
        // Streams are relayed as server-sent events, as the SDKs ask; the JSON-array framing is not offered.
        if ((request.query as Record<string, unknown>).alt !== 'sse') {
          throw new GatewayError('invalid_request', 'This gateway streams Gemini responses as server-sent events only: add alt=sse to the query.', 'alt');
        }
        return handle(options, geminiSpec(path, target.model, true), request, reply);
      case 'countTokens':
        return countTokens(options, request, reply, target.model);
      default:
        throw new GatewayError('not_found', `The method '${target.method}' is not served by this gateway; it serves generateContent, streamGenerateContent and countTokens.`);
    }
  };
  app.post('/v1beta/models/*', route('v1beta'));
  app.post('/v1/models/*', route('v1'));
}

/** countTokens costs nothing at Google: allowed models only, forwarded, never reserved or booked. */
async function countTokens(options: ProxyRouteOptions, request: FastifyRequest, reply: FastifyReply, model: string): Promise<void> {
  const { catalog, router } = options.admitDeps;
  const body = request.body as Record<string, unknown>;
  const resolved = catalog.resolve(model);
  if (!resolved || resolved.provider !== 'google') throw new GatewayError('model_not_found', `The model '${model}' is not a Gemini model known to this gateway.`, 'model');
  if (!request.person!.isAllowed(resolved.family)) throw new GatewayError('model_not_allowed', `Your policy does not allow the model 'google/${resolved.model}'.`, 'model');
  const routed = router.route(resolved, 'count_tokens');
  if (!routed.ok) throw new GatewayError('provider_not_configured', `No upstream on this gateway counts tokens for 'google/${resolved.model}'.`);
  const call: UpstreamRequest = { operation: 'count_tokens', dialect: 'gemini', stream: false, modelId: routed.modelId, body, clientHeaders: request.headers };
  let prepared;
  try {
    prepared = await routed.upstream.prepare(call);
  } catch {
    throw new GatewayError('upstream_error', `The upstream '${routed.upstream.name}' could not be authenticated to.`);
  }
  let response;
  try {
    response = await send(prepared.url, {
      method: 'POST',
      headers: prepared.headers,
      body: prepared.body,
      dispatcher: options.dispatcher,
      headersTimeout: options.timeouts.headersTimeoutMs,
      bodyTimeout: options.timeouts.bodyTimeoutMs,
    });
  } catch {
    throw new GatewayError('upstream_error', `The provider 'google' (upstream '${routed.upstream.name}') could not be reached.`);
  }
  const adapted = await routed.upstream.adapt(response, call);
  const bytes = Buffer.from(await adapted.body.arrayBuffer());
  const type = adapted.headers['content-type'];
  return reply.code(adapted.statusCode).header('content-type', typeof type === 'string' ? type : 'application/json').send(bytes);
}
