import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import type { GatewayEnv } from '../config/gateway-config.schema.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { createCharger, overageOf } from '../gateway/charge.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../gateway/metrics.ts';
import { startPolicyStore, type PolicyStore } from '../gateway/policy-store.ts';
import { buildGateway } from '../gateway/server.ts';
import { upstreamsFromEnv } from '../gateway/upstreams.ts';
import { createReservationBatcher } from '../ledger/reservation-batcher.ts';
import { startSweeper } from '../ledger/sweep.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides } from '../pricing/catalog.ts';

export interface RunningGateway {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly policy: PolicyStore;
  readonly metrics: GatewayMetrics;
  /** Graceful: stop accepting, let open streams finish (bounded), settle them, then close. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Booking clock (budget period and ledger time); only `stipend dev --demo-traffic` sets it. */
  readonly clock?: () => Date;
}

/** Wires a gateway process: policy store, pricing, upstreams, ledger sweeper, HTTP server. */
export async function startGateway(handle: DbHandle, env: GatewayEnv, logger: Logger, options: GatewayOptions = {}): Promise<RunningGateway> {
  const metrics = createGatewayMetrics();
  const policy = await startPolicyStore(
    handle,
    (result, error) => {
      metrics.policyReloads.inc({ result });
      if (error) logger.error({ err: error }, 'policy reload failed');
    },
    { onUpdate: (update) => metrics.policyUpdateSeconds.observe({ kind: update.kind }, update.ms / 1000) },
  );
  const overrides = env.STIPEND_PRICING_FILE ? loadCatalogOverrides(env.STIPEND_PRICING_FILE) : [];
  const catalog = overrides.length > 0 ? createCatalog(defaultCatalog().list(), overrides) : defaultCatalog();
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  const charger = createCharger(handle.db, {
    onSettled(result, settlement, admission) {
      metrics.ledgerWrites.inc({ result });
      if (result === 'ok') metrics.spentNanos.inc({ provider: admission.provider }, Number(settlement.costNanos));
      if (result === 'ok' && overageOf(admission, settlement) > 0n) metrics.overages.inc({ provider: admission.provider });
    },
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'ledger write failed; the sweeper will charge the estimate'),
  }, env.STIPEND_SETTLE_BATCH_MS, options.clock);
  let draining = false;
  const app = buildGateway({
    db: handle.db,
    policy,
    catalog,
    upstreams: upstreamsFromEnv(env),
    dispatcher,
    charger,
    reserve: createReservationBatcher(handle.db),
    metrics,
    logger,
    blockUnpriced: env.STIPEND_BLOCK_UNPRICED,
    reservationTtlMs: env.STIPEND_RESERVATION_TTL_MS,
    timeouts: { headersTimeoutMs: env.STIPEND_UPSTREAM_HEADERS_TIMEOUT_MS, bodyTimeoutMs: env.STIPEND_UPSTREAM_BODY_TIMEOUT_MS },
    maxBodyBytes: env.STIPEND_MAX_BODY_BYTES,
    isDraining: () => draining,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const stopSweeper = startSweeper(handle.db, env.STIPEND_SWEEP_INTERVAL_MS, (error) => logger.warn({ err: error }, 'sweep failed'));
  const url = await app.listen({ host: env.STIPEND_HOST, port: env.STIPEND_PORT });

  return {
    app,
    url: url.replace('0.0.0.0', '127.0.0.1'),
    policy,
    metrics,
    async close() {
      draining = true;
      stopSweeper();
      const force = setTimeout(() => app.server.closeAllConnections(), env.STIPEND_SHUTDOWN_GRACE_MS);
      // Connections that go idle once their stream has finished are closed at once, not at keep-alive timeout.
      const idle = setInterval(() => app.server.closeIdleConnections(), 100);
      force.unref();
      await app.close();
      clearTimeout(force);
      clearInterval(idle);
      await charger.drain();
      await policy.close();
      await dispatcher.close();
    },
  };
}
