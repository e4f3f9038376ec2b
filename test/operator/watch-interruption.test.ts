// The API server goes away and comes back (etcd data kept): the same operator, never
// restarted, picks the watches up again and reconciles what changed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { condition, installCrds, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';

const run = promisify(execFile);
const scripts = new URL('../k8s/', import.meta.url).pathname;
const ns = uniqueNamespace('watch');
let db: TestDatabase;
let operator: RunningOperator;

const budget = (amount: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: w, namespace: ${ns} }
spec: { target: { users: [x@acme.example] }, scope: Shared, amount: "${amount}", period: Daily }
`;
const logLines: { msg: string }[] = [];
const amount = async () => (await db.handle.db.selectFrom('budgets').select('amount_nanos').where('namespace', '=', ns).where('name', '=', 'w').executeTakeFirst())?.amount_nanos;

beforeAll(async () => {
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
  db = await createTestDatabase();
  // Only the watches can notice the change below: the periodic resyncs are far away.
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { msg: string }) });
  operator = runOperator(createKubeApi(kubeconfig()), db.handle.db, logger, { namespaces: [ns], budgetResyncMs: 600_000, resyncMs: 600_000 });
});
afterAll(async () => {
  await operator?.stop();
  await db?.drop();
});

describe('watch interruption', () => {
  it('a restarted API server is survived without restarting the operator', async () => {
    await kubectl(['apply', '-f', '-'], budget('1'));
    await until('w in Postgres', async () => (await amount()) === 1_000_000_000n);

    await run('bash', [`${scripts}stop-apiserver.sh`]); // the test/k8s scripts; etcd data and certs are kept
    // The watches notice and start retrying (their warning), rather than a guessed pause.
    await until('a watch failed', async () => logLines.some((l) => l.msg.startsWith('watch failed')), 20_000);
    await run('bash', [`${scripts}start-apiserver.sh`]);
    const upAt = performance.now();
    await kubectl(['apply', '-f', '-'], budget('3'));
    await until('the change after the restart reconciled', async () => (await amount()) === 3_000_000_000n, 20_000, 50);
    console.log(`reconciled ${Math.round(performance.now() - upAt)} ms after the API server was ready again`);
    await until('status written again', async () => (await condition('budget', ns, 'w')).obj.status?.observedGeneration === 2);
    expect((await condition('budget', ns, 'w')).condition?.status).toBe('True');
  });
});
