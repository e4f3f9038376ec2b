import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Agent } from 'undici';
import type { InFlight } from './in-flight.ts';

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
      help: 'Requests refused before any provider call, by reason (401 auth, 402 budget, 403 policy, 503 shed or database away).',
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
      labelNames: ['provider', 'upstream', 'stream'] as const,
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

/**
 * Gauges read at scrape time: requests in flight on this replica (what autoscaling should
 * follow: a replica relaying thousands of streams is mostly idle on CPU), its limit, and the
 * upstream connection pools, whose `queued` count is requests waiting for a connection.
 */
export function observeCapacity(metrics: GatewayMetrics, inFlight: InFlight, dispatcher: Agent): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'stipend_in_flight_requests',
    help: 'Requests on the proxy routes being served now, streams included (autoscale on this).',
    registers,
    collect() {
      this.set(inFlight.current());
    },
  });
  new Gauge({
    name: 'stipend_in_flight_limit',
    help: 'STIPEND_MAX_IN_FLIGHT: above it requests are shed with 503.',
    registers,
    collect() {
      this.set(inFlight.max);
    },
  });
  const pools = () => Object.entries(dispatcher.stats) as [string, { connected: number; running: number; queued?: number; pending: number }][];
  new Gauge({
    name: 'stipend_upstream_connections',
    help: 'Open connections to each provider origin.',
    labelNames: ['origin'] as const,
    registers,
    collect() {
      this.reset();
      for (const [origin, s] of pools()) this.set({ origin }, s.connected);
    },
  });
  new Gauge({
    name: 'stipend_upstream_requests',
    help: 'Requests to each provider origin: running (on a connection) or queued (waiting for one; should stay 0).',
    labelNames: ['origin', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [origin, s] of pools()) {
        this.set({ origin, state: 'running' }, s.running);
        this.set({ origin, state: 'queued' }, s.queued ?? Math.max(0, s.pending));
      }
    },
  });
}
