import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import type { GatewayEnv } from '../config/gateway-config.schema.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { createCharger, overageOf, settleBatchIn } from '../gateway/charge.ts';
import { guardReservations } from '../gateway/guard-reservations.ts';
import { createInFlight } from '../gateway/in-flight.ts';
import { createGatewayMetrics, observeCapacity, type GatewayMetrics } from '../gateway/metrics.ts';
import { serveMetrics } from '../gateway/metrics-server.ts';
import { startPolicyStore, type PolicyStore } from '../gateway/policy-store.ts';
import { buildGateway } from '../gateway/server.ts';
import { loadUpstreams } from '../gateway/upstreams/load-upstreams.ts';
import { createReservationBatcher } from '../ledger/reservation-batcher.ts';
import { startSweeper } from '../ledger/sweep.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides } from '../pricing/catalog.ts';
import { refreshUpstreamSecrets } from './refresh-upstream-secrets.ts';

const LISTEN_BACKLOG = 4096;

export interface RunningGateway {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Where Prometheus scrapes: a port of its own, never the public one. */
  readonly metricsUrl: string;
  readonly policy: PolicyStore;
  readonly metrics: GatewayMetrics;
  /** Graceful: stop accepting, let open streams finish (bounded), settle them, then close. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Booking clock (budget period and ledger time); only `stipend dev --demo-traffic` sets it. */
  readonly clock?: () => Date;
  /** The clock of upstream signatures and token expiry, ms (tests). */
  readonly upstreamClock?: () => number;
}

/** Wires a gateway process: policy store, pricing, upstreams, ledger sweeper, HTTP servers. */
export async function startGateway(handle: DbHandle, env: GatewayEnv, logger: Logger, options: GatewayOptions = {}): Promise<RunningGateway> {
  const metrics = createGatewayMetrics();
  const policy = await startPolicyStore(
    handle,
    (result, error) => {
      metrics.policyReloads.inc({ result });
      if (error) logger.error({ err: error }, 'policy reload failed; retrying');
    },
    { onUpdate: (update) => metrics.policyUpdateSeconds.observe({ kind: update.kind }, update.ms / 1000) },
  );
  const overrides = env.STIPEND_PRICING_FILE ? loadCatalogOverrides(env.STIPEND_PRICING_FILE) : [];
  const catalog = overrides.length > 0 ? createCatalog(defaultCatalog().list(), overrides) : defaultCatalog();
  // No silent queue in front of the providers: connections per origin are uncapped by default
  // (the in-flight maximum bounds them), and streams beyond it are shed, not queued.
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connections: env.STIPEND_UPSTREAM_CONNECTIONS === 0 ? null : env.STIPEND_UPSTREAM_CONNECTIONS,
    allowH2: env.STIPEND_UPSTREAM_HTTP2,
  });
  const upstreams = loadUpstreams(env, process.env, {
    now: options.upstreamClock ?? Date.now,
    dispatcher,
    log: ({ upstream, status, detail }) => logger.warn({ upstream, status, detail }, 'an upstream refused the gateway: check its credentials and configuration'),
  });
  const stopRefreshing = refreshUpstreamSecrets(upstreams.secrets, env.STIPEND_UPSTREAM_SECRETS_REFRESH_MS, logger);
  const router = upstreams.router;
  if (router.upstreams.length === 0) {
    logger.error(
      'no provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or STIPEND_UPSTREAMS_FILE. Every request would fail, so /readyz reports not ready.',
    );
  }
  const inFlight = createInFlight(env.STIPEND_MAX_IN_FLIGHT);
  observeCapacity(metrics, inFlight, dispatcher);
  const charger = createCharger(
    settleBatchIn(handle.db),
    {
      onSettled(result, settlement, admission) {
        metrics.ledgerWrites.inc({ result });
        if (result !== 'ok' || !admission) return; // a release charges nothing
        metrics.spentNanos.inc({ provider: admission.provider }, Number(settlement.costNanos));
        if (overageOf(admission, settlement) > 0n) metrics.overages.inc({ provider: admission.provider });
      },
      onError: (error, requestIds, willRetry) =>
        willRetry
          ? logger.warn({ err: error, settlements: requestIds.length }, 'ledger write failed; retrying from memory')
          : logger.error({ err: error, requestIds }, 'ledger write failed; the sweeper will charge the estimate after the reservation deadline'),
    },
    { delayMs: env.STIPEND_SETTLE_BATCH_MS, retryForMs: env.STIPEND_RESERVATION_TTL_MS, ...(options.clock ? { clock: options.clock } : {}) },
  );
  const reserve = guardReservations(createReservationBatcher(handle.db), charger, {
    timeoutMs: env.STIPEND_RESERVATION_TIMEOUT_MS,
    retryAfterSeconds: env.STIPEND_RETRY_AFTER_SECONDS,
  });
  let draining = false;
  const app = buildGateway({
    db: handle.db,
    policy,
    catalog,
    router,
    dispatcher,
    charger,
    reserve,
    metrics,
    logger,
    blockUnpriced: env.STIPEND_BLOCK_UNPRICED,
    reservationTtlMs: env.STIPEND_RESERVATION_TTL_MS,
    timeouts: { headersTimeoutMs: env.STIPEND_UPSTREAM_HEADERS_TIMEOUT_MS, bodyTimeoutMs: env.STIPEND_UPSTREAM_BODY_TIMEOUT_MS },
    maxBodyBytes: env.STIPEND_MAX_BODY_BYTES,
    maxJsonDepth: env.STIPEND_MAX_JSON_DEPTH,
    clientTimeouts: {
      headersTimeoutMs: env.STIPEND_CLIENT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.STIPEND_CLIENT_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.STIPEND_CLIENT_KEEP_ALIVE_TIMEOUT_MS,
    },
    inFlight,
    retryAfterSeconds: env.STIPEND_RETRY_AFTER_SECONDS,
    isDraining: () => draining,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const stopSweeper = startSweeper(handle.db, env.STIPEND_SWEEP_INTERVAL_MS, (error) => logger.warn({ err: error }, 'sweep failed'));
  const metricsServer = await serveMetrics(metrics.registry, env.STIPEND_METRICS_HOST, env.STIPEND_METRICS_PORT);
  // A deep accept queue: a burst of new connections (clients reconnecting after a rollout) is
  // accepted late rather than reset (Node's default is 511; the kernel caps it at somaxconn).
  const url = await app.listen({ host: env.STIPEND_HOST, port: env.STIPEND_PORT, backlog: LISTEN_BACKLOG });

  return {
    app,
    url: url.replace('0.0.0.0', '127.0.0.1'),
    metricsUrl: metricsServer.url,
    policy,
    metrics,
    async close() {
      draining = true;
      stopSweeper();
      stopRefreshing();
      const force = setTimeout(() => app.server.closeAllConnections(), env.STIPEND_SHUTDOWN_GRACE_MS);
      // Connections that go idle once their stream has finished are closed at once, not at keep-alive timeout.
      const idle = setInterval(() => app.server.closeIdleConnections(), 100);
      force.unref();
      await app.close();
      clearTimeout(force);
      clearInterval(idle);
      // Settlements Postgres could not take yet get a few more seconds; then the sweeper's.
      await charger.drain(5_000);
      await policy.close();
      await dispatcher.close();
      await metricsServer.close();
    },
  };
}
