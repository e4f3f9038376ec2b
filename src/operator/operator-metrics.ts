import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ResourceKind } from '../policy/resource.schema.ts';

export type ReconcileResult = 'ok' | 'retry' | 'error';

/** The operator's Prometheus series: reconcile counts by kind and result, and their duration. */
export function createOperatorMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const reconciles = new Counter({
    name: 'stipend_operator_reconciles_total',
    help: 'Reconciles by kind and result (ok, retry after a conflict, error).',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'stipend_operator_reconcile_seconds',
    help: 'Time one reconcile took.',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return {
    registry,
    onReconcile(kind: ResourceKind, result: ReconcileResult, elapsedSeconds: number) {
      reconciles.inc({ kind, result });
      seconds.observe({ kind }, elapsedSeconds);
    },
  };
}

/** `/metrics` and `/healthz` on their own port (the operator has no other HTTP surface). */
export async function serveOperatorMetrics(registry: Registry, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text), () => res.writeHead(500).end());
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
