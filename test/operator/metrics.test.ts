// The operator's /metrics: reconcile counts by kind and result, errors included.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { createOperatorMetrics, serveOperatorMetrics } from '../../src/operator/operator-metrics.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { installCrds, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';

const good = uniqueNamespace('metrics');
const broken = uniqueNamespace('metrics-down');
const silent = pino({ level: 'silent' });
const unreachable = connectPostgres({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere' });
const metrics = createOperatorMetrics();
const operators: RunningOperator[] = [];
let database: TestDatabase;
let server: Awaited<ReturnType<typeof serveOperatorMetrics>>;

beforeAll(async () => {
  await installCrds();
  for (const ns of [good, broken]) await kubectl(['create', 'namespace', ns]);
  database = await createTestDatabase();
  operators.push(runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [good], onReconcile: metrics.onReconcile }));
  operators.push(runOperator(createKubeApi(kubeconfig()), unreachable.db, silent, { namespaces: [broken], onReconcile: metrics.onReconcile }));
  server = await serveOperatorMetrics(metrics.registry, 0, '127.0.0.1');
});
afterAll(async () => {
  for (const o of operators) await o.stop();
  server?.close();
  await unreachable.close();
  await database?.drop();
});

const budget = (ns: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: m, namespace: ${ns} }
spec: { target: { users: [m@acme.example] }, scope: Shared, amount: "5", period: Daily }
`;

describe('operator metrics', () => {
  it('count reconciles that worked and ones that failed, with their duration', async () => {
    await kubectl(['apply', '-f', '-'], budget(good));
    await kubectl(['apply', '-f', '-'], budget(broken));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const text = await until('both series', async () => {
      const t = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /stipend_operator_reconciles_total\{kind="Budget",result="ok"\} [1-9]/.test(t) && /stipend_operator_reconciles_total\{kind="Budget",result="error"\} [1-9]/.test(t) ? t : null;
    }, 20_000, 200);
    expect(text).toMatch(/stipend_operator_reconcile_seconds_count\{kind="Budget"\} [1-9]/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
