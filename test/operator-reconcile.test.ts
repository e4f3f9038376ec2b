// The reconcile step against real Postgres, with the few Kubernetes calls it makes recorded
// (test/operator/ runs the whole operator against a real API server): every reconcile
// upserts the rows the spec asks for, so a row changed by hand is put back at once, and the
// spend pass rewrites status.period without touching rows.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshBudgetSpend } from '../src/operator/budget-spend.ts';
import type { KubeApi, KubeObject } from '../src/operator/kube-api.ts';
import { reconcileBudget } from '../src/operator/budget.reconcile.ts';
import { reconcileModelPolicy } from '../src/operator/model-policy.reconcile.ts';
import { reconcileResource, type ReconcileDeps, type Reconcilers } from '../src/operator/reconcile-resource.ts';
import { reconcileTeam } from '../src/operator/team.reconcile.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const RECONCILERS: Reconcilers = { Team: reconcileTeam, Budget: reconcileBudget, ModelPolicy: reconcileModelPolicy };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

/** The objects "in the cluster", and every status write the reconciler made. */
function cluster(objects: KubeObject[]) {
  const statusWrites: { name: string; status: Record<string, unknown> }[] = [];
  const api = {
    custom: {
      patchNamespacedCustomObjectStatus: async (req: { name: string; body: { op: string; path: string; value: unknown }[] }) => {
        const value = req.body.find((op) => op.path === '/status')!.value as Record<string, unknown>;
        statusWrites.push({ name: req.name, status: value });
        const obj = objects.find((o) => o.metadata.name === req.name)!;
        obj.status = value;
        obj.metadata.resourceVersion = String(Number(obj.metadata.resourceVersion) + 1);
        return obj;
      },
    },
    core: { createNamespacedEvent: async () => ({}) },
    instance: 'test',
  } as unknown as KubeApi;
  const deps: ReconcileDeps = {
    api,
    db: t.handle.db,
    logger: pino({ level: 'silent' }),
    cached: (key) => objects.find((o) => o.kind === key.kind && o.metadata.name === key.name),
  };
  return { deps, statusWrites };
}

const budget = (amount: string): KubeObject => ({
  apiVersion: 'stipend.dev/v1alpha1',
  kind: 'Budget',
  metadata: { name: 'cap', namespace: 'acme', generation: 1, resourceVersion: '1', uid: 'u1', finalizers: ['stipend.dev/cleanup'] },
  spec: { target: { users: ['ada@acme.example'] }, scope: 'Shared', amount, period: 'Monthly', timeZone: 'UTC', enforcement: 'Hard', alertThresholds: [100, 80] },
});

const amountOf = async () =>
  (await t.handle.db.selectFrom('budgets').select(['amount_nanos', 'alert_thresholds', 'active']).where('namespace', '=', 'acme').where('name', '=', 'cap').executeTakeFirstOrThrow());

describe('reconcile', () => {
  it('upserts the desired rows on every reconcile: a row changed by hand is put back without a new generation', async () => {
    const objects = [budget('10.00')];
    const { deps, statusWrites } = cluster(objects);
    const key = { kind: 'Budget' as const, namespace: 'acme', name: 'cap' };
    expect(await reconcileResource(deps, key, RECONCILERS)).toBe(true);
    expect(await amountOf()).toEqual({ amount_nanos: 10_000_000_000n, alert_thresholds: [80, 100], active: true });
    expect(statusWrites.at(-1)!.status).toMatchObject({ observedGeneration: 1, period: { limit: '10.00' } });

    // Out of band: someone edits the row (or restores an old backup). Same object, same generation.
    await sql`update budgets set amount_nanos = 1, alert_thresholds = '{50}' where namespace = 'acme' and name = 'cap'`.execute(t.handle.db);
    expect(await reconcileResource(deps, key, RECONCILERS)).toBe(true);
    expect(await amountOf()).toEqual({ amount_nanos: 10_000_000_000n, alert_thresholds: [80, 100], active: true });
  });

  it('refreshes spend in status in its own pass: rewrites only status.period, only when it changed, and never the rows', async () => {
    const objects = [budget('10.00')];
    const { deps, statusWrites } = cluster(objects);
    await reconcileResource(deps, { kind: 'Budget', namespace: 'acme', name: 'cap' }, RECONCILERS);
    const reconciled = statusWrites.length;
    const now = new Date();
    expect(await refreshBudgetSpend(deps, objects, now)).toBe(0); // nothing spent since: nothing written

    const { id } = await t.handle.db.selectFrom('budgets').select('id').where('name', '=', 'cap').executeTakeFirstOrThrow();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    await t.handle.db
      .insertInto('wallets')
      .values({ budget_id: id, owner: 'shared', period_start: start, period_end: end, limit_nanos: 10_000_000_000n, hard: true, spent_nanos: 2_500_000_000n })
      .execute();
    await sql`update budgets set amount_nanos = 1 where id = ${id}`.execute(t.handle.db); // the pass must not repair (or touch) rows
    const conditions = objects[0]!.status!.conditions;

    expect(await refreshBudgetSpend(deps, objects, now)).toBe(1);
    expect(statusWrites.length).toBe(reconciled + 1);
    expect(objects[0]!.status).toMatchObject({ observedGeneration: 1, period: { spent: '2.50', percentUsed: 25 } });
    expect(objects[0]!.status!.conditions).toEqual(conditions);
    expect((await amountOf()).amount_nanos).toBe(1n);
    expect(await refreshBudgetSpend(deps, objects, now)).toBe(0);

    // A new generation not yet reconciled is its reconcile's business.
    objects[0]!.metadata.generation = 2;
    await sql`update wallets set spent_nanos = 5000000000 where budget_id = ${id}`.execute(t.handle.db);
    expect(await refreshBudgetSpend(deps, objects, now)).toBe(0);
  });
});
