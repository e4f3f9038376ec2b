// Leader election, restarts and a restarted API server; and one loader for dev and operator.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { startLeaderElection } from '../../src/operator/leader-election.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { condition, examplesIn, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';
import { policyRows } from './policy-rows.ts';

const run = promisify(execFile);
const silent = pino({ level: 'silent' });
const databases: TestDatabase[] = [];
const operators: RunningOperator[] = [];
const freshDatabase = async () => {
  const d = await createTestDatabase();
  databases.push(d);
  return d;
};
const start = (db: TestDatabase, ns: string) => {
  const o = runOperator(createKubeApi(kubeconfig()), db.handle.db, silent, { namespaces: [ns], budgetResyncMs: 1000 });
  operators.push(o);
  return o;
};
const budgetYaml = (ns: string, name: string, amount: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ${name}, namespace: ${ns} }
spec: { target: { users: [x@acme.example] }, scope: Shared, amount: "${amount}", period: Daily }
`;
const amountOf = async (db: TestDatabase, ns: string, name: string) =>
  (await db.handle.db.selectFrom('budgets').select('amount_nanos').where('namespace', '=', ns).where('name', '=', name).executeTakeFirst())?.amount_nanos;

beforeAll(async () => {
  await kubectl(['apply', '-f', new URL('../../crds', import.meta.url).pathname]);
  await kubectl(['wait', '--for=condition=Established', 'crd/budgets.stipend.dev', 'crd/teams.stipend.dev', 'crd/modelpolicies.stipend.dev']);
});
afterAll(async () => {
  for (const o of operators) await o.stop();
  for (const d of databases) await d.drop();
});

describe('resilience', () => {
  it('`stipend dev` and the operator write identical policy rows from the same YAML', async () => {
    const ns = uniqueNamespace('same');
    await kubectl(['create', 'namespace', ns]);
    const viaDev = await freshDatabase();
    await syncResources(viaDev.handle.db, parseResources(examplesIn(ns), 'examples'));
    const viaOperator = await freshDatabase();
    start(viaOperator, ns);
    await kubectl(['apply', '-f', '-'], examplesIn(ns));
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budgets,teams,modelpolicies', '--all']);
    expect(await policyRows(viaOperator.handle.db, ns)).toEqual(await policyRows(viaDev.handle.db, ns));
  });

  it('two operator instances never reconcile at once; the follower takes over', async () => {
    const ns = uniqueNamespace('lead');
    await kubectl(['create', 'namespace', ns]);
    const db = await freshDatabase();
    const running: (RunningOperator | null)[] = [null, null];
    const elections = [0, 1].map((i) =>
      startLeaderElection(db.url, () => (running[i] = start(db, ns)), () => undefined, 200),
    );
    let both = false;
    const sampler = setInterval(() => (both ||= elections.every((e) => e.isLeader())), 20);
    try {
      const leader = await until('a leader', async () => elections.findIndex((e) => e.isLeader()) + 1);
      await kubectl(['apply', '-f', '-'], budgetYaml(ns, 'b1', '1'));
      await until('b1 in Postgres', async () => (await amountOf(db, ns, 'b1')) === 1_000_000_000n);

      // The leader goes away: its session ends, the lock is released, the follower is elected.
      await running[leader - 1]!.stop();
      await elections[leader - 1]!.stop();
      await until('the follower elected', async () => elections[2 - leader]!.isLeader(), 5000);
      await kubectl(['apply', '-f', '-'], budgetYaml(ns, 'b1', '2'));
      await until('the change reconciled by the new leader', async () => (await amountOf(db, ns, 'b1')) === 2_000_000_000n);
      expect(both).toBe(false);
    } finally {
      clearInterval(sampler);
      for (const e of elections) await e.stop();
    }
  });

  it('an operator restarted in the middle of a stream of changes converges to the same rows', async () => {
    const ns = uniqueNamespace('restart');
    await kubectl(['create', 'namespace', ns]);
    const db = await freshDatabase();
    const first = start(db, ns);
    const yaml = Array.from({ length: 25 }, (_, i) => budgetYaml(ns, `b${i}`, `${i + 1}`)).join('---\n');
    const applying = kubectl(['apply', '-f', '-'], yaml);
    await new Promise((r) => setTimeout(r, 150));
    await first.stop(); // mid-stream
    await applying;
    start(db, ns);
    await until('all 25 budgets in Postgres with their amounts', async () => {
      const rows = await db.handle.db.selectFrom('budgets').select(['name', 'amount_nanos']).where('namespace', '=', ns).where('active', '=', true).execute();
      return rows.length === 25 && rows.every((r) => r.amount_nanos === BigInt(Number(r.name.slice(1)) + 1) * 1_000_000_000n);
    }, 30_000, 200);
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budgets', '--all']);
  });

  it('a restarted API server is survived without restarting the operator', async () => {
    const ns = uniqueNamespace('watch');
    await kubectl(['create', 'namespace', ns]);
    const db = await freshDatabase();
    start(db, ns);
    await kubectl(['apply', '-f', '-'], budgetYaml(ns, 'w', '1'));
    await until('w in Postgres', async () => (await amountOf(db, ns, 'w')) === 1_000_000_000n);

    const scripts = new URL('../k8s/', import.meta.url).pathname;
    await run('bash', [`${scripts}stop-apiserver.sh`]);
    await run('bash', [`${scripts}start-apiserver.sh`]);
    await kubectl(['apply', '-f', '-'], budgetYaml(ns, 'w', '3'));
    await until('the change after the restart reconciled', async () => (await amountOf(db, ns, 'w')) === 3_000_000_000n, 30_000, 100);
    expect((await condition('budget', ns, 'w')).condition?.status).toBe('True');
  });
});
