import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus series. One registry per process (tests may build several). */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'stipend_requests_total',
      help: 'Requests by route and outcome (HTTP status or error code).',
      labelNames: ['route', 'outcome'] as const,
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'stipend_refusals_total',
      help: 'Requests refused before any provider call, by reason (402 budget, 403 policy, 401 auth).',
      labelNames: ['status', 'code'] as const,
      registers: [registry],
    }),
    reservationSeconds: new Histogram({
      name: 'stipend_reservation_seconds',
      help: 'Time to reserve the worst-case cost in Postgres.',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    upstreamSeconds: new Histogram({
      name: 'stipend_upstream_seconds',
      help: 'Time from forwarding to the end of the provider response.',
      labelNames: ['provider', 'stream'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    ledgerWrites: new Counter({
      name: 'stipend_ledger_writes_total',
      help: 'Settlements written to the ledger, by result (ok, duplicate, failed).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    openStreams: new Gauge({ name: 'stipend_open_streams', help: 'SSE streams being relayed now.', registers: [registry] }),
    policyReloads: new Counter({
      name: 'stipend_policy_reloads_total',
      help: 'Policy recompiles after a change notification, by result.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    policyUpdateSeconds: new Histogram({
      name: 'stipend_policy_update_seconds',
      help: 'From a change notification arriving to the updated policy serving requests (a revocation\'s lag on this replica), by kind (incremental, full).',
      labelNames: ['kind'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    overages: new Counter({
      name: 'stipend_overages_total',
      help: 'Settlements above their reservation on a hard wallet (charged in full), by provider.',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
    spentNanos: new Counter({
      name: 'stipend_spent_nanodollars_total',
      help: 'Cost charged to wallets, in nano-dollars, by provider.',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
