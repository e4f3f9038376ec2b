// Two operators on one database: only the holder of the Postgres advisory lock reconciles.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runElectedOperator, type ElectedOperator } from '../../src/operator/elected-operator.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { installCrds, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';
import { isLeader, reconciles, startOperatorProcess, type OperatorProcess } from './operator-process.ts';

const databases: TestDatabase[] = [];
const processes: OperatorProcess[] = [];
const budget = (ns: string, name: string, amount: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ${name}, namespace: ${ns} }
spec: { target: { users: [x@acme.example] }, scope: Shared, amount: "${amount}", period: Daily }
`;
const amountOf = async (db: TestDatabase, ns: string, name: string) =>
  (await db.handle.db.selectFrom('budgets').select('amount_nanos').where('namespace', '=', ns).where('name', '=', name).executeTakeFirst())?.amount_nanos;
const setup = async (prefix: string) => {
  const ns = uniqueNamespace(prefix);
  await kubectl(['create', 'namespace', ns]);
  const db = await createTestDatabase();
  databases.push(db);
  return { ns, db };
};

beforeAll(installCrds);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  for (const d of databases) await d.drop();
});

describe('leader election', () => {
  it('two `stipend operator` processes: only the leader reconciles; on SIGTERM the other takes over', async () => {
    const { ns, db } = await setup('lead');
    const pair = [startOperatorProcess(db.url, [ns]), startOperatorProcess(db.url, [ns])];
    processes.push(...pair);
    const leader = await until('a leader', async () => pair.find(isLeader));
    const follower = pair.find((p) => p !== leader)!;
    await kubectl(['apply', '-f', '-'], [1, 2, 3].map((i) => budget(ns, `b${i}`, '1')).join('---\n'));
    await until('the budgets in Postgres', async () => (await amountOf(db, ns, 'b3')) === 1_000_000_000n);
    await until('the leader logged its reconciles', async () => reconciles(leader).length > 0);
    expect(isLeader(follower)).toBe(false);
    expect(reconciles(follower)).toHaveLength(0);

    // A graceful stop finishes the leader's work, then ends its session: the lock passes on.
    expect(await leader.kill('SIGTERM')).toBe(0);
    const stoppedAt = Date.now();
    await until('the follower elected', async () => isLeader(follower));
    await kubectl(['apply', '-f', '-'], budget(ns, 'b1', '2'));
    await until('the change reconciled by the new leader', async () => (await amountOf(db, ns, 'b1')) === 2_000_000_000n);
    expect(reconciles(follower)[0]!.seenAt).toBeGreaterThanOrEqual(stoppedAt);
    console.log(`hand-over: follower reconciling ${reconciles(follower)[0]!.seenAt - stoppedAt} ms after the leader exited`);
  });

  it('a leader whose Postgres session is cut stops reconciling; never two leaders at once', async () => {
    const { ns, db } = await setup('cut');
    const deps = { api: createKubeApi(kubeconfig()), db: db.handle.db, logger: pino({ level: 'silent' }), connectionString: db.url };
    const pair: ElectedOperator[] = [0, 1].map(() => runElectedOperator(deps, { namespaces: [ns], retryMs: 200, heartbeatMs: 200 }));
    let both = false;
    const sampler = setInterval(() => (both ||= pair.every((o) => o.isLeader())), 5);
    try {
      const leader = await until('a leader', async () => pair.find((o) => o.isLeader()));
      await kubectl(['apply', '-f', '-'], budget(ns, 'c', '1'));
      await until('c in Postgres', async () => (await amountOf(db, ns, 'c')) === 1_000_000_000n);
      const follower = pair.find((o) => o !== leader)!;
      expect(follower.reconciled()).toBe(0);

      // What a network cut or a Postgres failover does to the leader's lock session.
      const cut = await sql<{ pid: number }>`select pid, pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(db.handle.db);
      expect(cut.rows).toHaveLength(1);
      await until('a leader again', async () => pair.some((o) => o.isLeader()));
      await kubectl(['apply', '-f', '-'], budget(ns, 'c', '2'));
      await until('the change reconciled after the cut', async () => (await amountOf(db, ns, 'c')) === 2_000_000_000n);
      expect(both).toBe(false);
    } finally {
      clearInterval(sampler);
      for (const o of pair) await o.stop();
    }
  });
});
