import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Db } from '../db/database.ts';
import type { Catalog } from '../pricing/catalog.ts';
import type { UpstreamTimeouts } from './call-upstream.ts';
import type { Reserver } from '../ledger/reservation-batcher.ts';
import type { Charger } from './charge.ts';
import { GatewayError, renderError, type ErrorShape } from './errors.ts';
import type { InFlight } from './in-flight.ts';
import { isValidUtf8, jsonDepthExceeds } from './json-limits.ts';
import type { GatewayMetrics } from './metrics.ts';
import { createRateLimiter } from './rate-limiter.ts';
import type { PolicyStore } from './policy-store.ts';
import { isGeminiRoute } from './authenticate.ts';
import { healthRoutes } from './routes/health.route.ts';
import { geminiModelsRoutes, isGoogleClient } from './routes/gemini-models.route.ts';
import { modelsRoutes } from './routes/models.route.ts';
import { proxyRoutes } from './routes/proxy.route.ts';
import type { Router } from './upstreams/router.ts';

export interface GatewayDeps {
  readonly db: Db;
  readonly policy: PolicyStore;
  readonly catalog: Catalog;
  /** Where each model is served from. */
  readonly router: Router;
  readonly dispatcher: Dispatcher;
  readonly charger: Charger;
  readonly reserve: Reserver;
  readonly logger: Logger;
  readonly blockUnpriced: boolean;
  readonly reservationTtlMs: number;
  readonly timeouts: UpstreamTimeouts;
  readonly maxBodyBytes: number;
  /** Bodies nesting deeper are refused with 400 before they are parsed. */
  readonly maxJsonDepth: number;
  readonly clientTimeouts: ClientTimeouts;
  readonly inFlight: InFlight;
  /** What a 503 (shed, database away) tells the client to wait, in seconds. */
  readonly retryAfterSeconds: number;
  readonly metrics: GatewayMetrics;
  readonly isDraining?: () => boolean;
  /** The instant a request is booked at (budget period, ledger time). Real time unless dev demo traffic replays a month. */
  readonly clock?: () => Date;
}

/** How long a client may take to send its request, and keep an idle connection open. */
export interface ClientTimeouts {
  readonly headersTimeoutMs: number;
  /** The whole request, body included; the response (a long stream) is not limited by it. */
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/** Builds the gateway app. It does not listen: `main` does, tests use `inject` or `listen(0)`. */
export function buildGateway(deps: GatewayDeps): FastifyInstance {
  const timeouts = deps.clientTimeouts;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One debug line per request (onResponse below) instead of fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // A client that dribbles its headers or body is cut (408) instead of holding a socket and a
    // buffer for ever; Node checks every second rather than its default 30 s.
    serverFactory: (handler) => {
      const server = createServer(
        {
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
          noDelay: true,
        },
        handler,
      );
      return server;
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => parseJsonBody(deps.maxJsonDepth, request, body, done));
  app.addHook('onRequest', async function setRequestIdHeader(request, reply) {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async function countAndLog(request, reply) {
    deps.metrics.requests.inc({ route: request.routeOptions.url ?? 'unmatched', outcome: String(reply.statusCode) });
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.addHook('onError', async function countRefusals(_request, _reply, error) {
    if (error instanceof GatewayError && ((error.status >= 401 && error.status <= 403) || error.code === 'overloaded' || error.code === 'service_unavailable')) {
      deps.metrics.refusals.inc({ status: String(error.status), code: error.code });
    }
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new GatewayError('not_found', `Unknown route ${request.method} ${request.url}.`)),
  );

  app.register(healthRoutes, {
    db: deps.db,
    policy: deps.policy,
    providersConfigured: deps.router.upstreams.length,
    isDraining: deps.isDraining ?? (() => false),
  });
  app.register(modelsRoutes, { policy: deps.policy, catalog: deps.catalog, router: deps.router, blockUnpriced: deps.blockUnpriced });
  app.register(geminiModelsRoutes, { policy: deps.policy, catalog: deps.catalog, router: deps.router, blockUnpriced: deps.blockUnpriced });
  app.register(proxyRoutes, {
    policy: deps.policy,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    charger: deps.charger,
    metrics: deps.metrics,
    inFlight: deps.inFlight,
    retryAfterSeconds: deps.retryAfterSeconds,
    admitDeps: {
      reserve: deps.reserve,
      rateLimiter: createRateLimiter(),
      catalog: deps.catalog,
      router: deps.router,
      blockUnpriced: deps.blockUnpriced,
      reservationTtlMs: deps.reservationTtlMs,
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
  });
  return app;
}

/**
 * Bodies are bounded before anything else reads them: invalid UTF-8 is refused (it would be
 * forwarded as U+FFFD, up to 3× the bytes the reservation counted), and so is nesting deeper
 * than `maxDepth` (parsing, re-serializing or walking it could exhaust the stack).
 */
function parseJsonBody(maxDepth: number, request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void): void {
  request.bodyBytes = body.length;
  request.bodyHasImage = body.includes('image');
  if (body.length === 0) return done(new GatewayError('invalid_json', 'The request body is empty; send a JSON object.'));
  if (!isValidUtf8(body)) return done(new GatewayError('invalid_json', 'The request body is not valid UTF-8; JSON must be sent as UTF-8.'));
  if (jsonDepthExceeds(body, maxDepth)) {
    return done(new GatewayError('invalid_json', `The request body nests objects and arrays more than ${maxDepth} levels deep.`));
  }
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return done(new GatewayError('invalid_json', 'The request body must be a JSON object.'));
    }
    done(null, value);
  } catch (error) {
    done(new GatewayError('invalid_json', `We could not parse the JSON body of your request: ${(error as Error).message}`));
  }
}

function shapeFor(request: FastifyRequest): ErrorShape {
  if (request.url.startsWith('/v1/messages')) return 'anthropic';
  if (isGeminiRoute(request.url) || (request.url.startsWith('/v1/models') && isGoogleClient(request))) return 'google';
  if (request.url.startsWith('/v1/models') && typeof request.headers['anthropic-version'] === 'string') return 'anthropic';
  return 'openai';
}

function handleError(this: FastifyInstance, error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof GatewayError) return sendError(request, reply, error);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(request, reply, new GatewayError('request_too_large', 'The request body is larger than this gateway accepts.'));
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return sendError(request, reply, new GatewayError('invalid_json', 'The request body must be a JSON object.'));
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(request, reply, new GatewayError('invalid_request', error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(request, reply, new GatewayError('internal_error', 'The gateway failed to process your request.'));
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: GatewayError) {
  if (error.status >= 500) request.log.warn({ code: error.code }, error.message);
  return reply.code(error.status).headers(error.headers).send(renderError(error, shapeFor(request)));
}
