// kubectl against a real API server → the operator → Postgres → the gateway enforces it.
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { formatUsd } from '../../src/pricing/money.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { startHarness, type Harness } from '../support/gateway-harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { condition, examplesIn, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';

const ns = uniqueNamespace('acme');
let database: TestDatabase;
let operator: RunningOperator;
let gateway: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  await kubectl(['apply', '-f', new URL('../../crds', import.meta.url).pathname]);
  await kubectl(['wait', '--for=condition=Established', 'crd/budgets.stipend.dev', 'crd/teams.stipend.dev', 'crd/modelpolicies.stipend.dev']);
  await kubectl(['create', 'namespace', ns]);
  operator = runOperator(createKubeApi(kubeconfig()), database.handle.db, pino({ level: 'silent' }), { namespaces: [ns], budgetResyncMs: 1000 });
  gateway = await startHarness({ database });
});
afterAll(async () => {
  await gateway?.close();
  await operator?.stop();
  await database?.drop();
});

const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status ?? 0);
const ask = (key: string, model: string) => status(client(key).chat.completions.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }));

describe('operator', () => {
  let sam: string;

  it('kubectl apply of the example policy → rows in Postgres, resources Ready with finalizers', async () => {
    await kubectl(['apply', '-f', '-'], examplesIn(ns));
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budgets,teams,modelpolicies', '--all']);
    const budgets = await database.handle.db.selectFrom('budgets').select('name').where('namespace', '=', ns).where('active', '=', true).execute();
    expect(budgets).toHaveLength(7);
    const { obj, condition: ready } = await condition('budget', ns, 'eng-principal');
    expect(ready).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(obj.status?.observedGeneration).toBe(obj.metadata.generation);
    expect(obj.metadata.finalizers).toContain('stipend.dev/cleanup');
    const team = await condition('team', ns, 'engineering');
    expect(team.obj.status).toMatchObject({ members: 3 });
    const printed = await kubectl(['get', 'budgets', '-n', ns]);
    expect(printed).toMatch(/eng-principal\s+PerMember\s+3000\.00\s+Monthly\s+0\.00\s+0\s+True/);
  });

  it('the gateway enforces it: allowed, 403, and a budget that runs out is a 402', async () => {
    sam = (await createApiKey(database.handle.db, 'sam@acme.example')).key;
    await gateway.gateway.policy.reload();
    expect(await ask(sam, 'gpt-4o-mini')).toBe(200);
    expect(await ask(sam, 'gpt-4o')).toBe(403);
  });

  it('kubectl apply of a change is enforced within 2 s', async () => {
    // Support's team cap drops to a micro-dollar: the next request cannot fit.
    const started = Date.now();
    await kubectl(['patch', 'budget', 'support-team-cap', '-n', ns, '--type=merge', '-p', '{"spec":{"amount":"0.000001"}}']);
    await until('402 after the budget change', async () => (await ask(sam, 'gpt-4o-mini')) === 402, 2000, 20);
    const elapsed = Date.now() - started;
    console.log(`apply → enforced in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(2000);
  });

  it('Budget status shows this period, spend and percent used', async () => {
    await kubectl(['patch', 'budget', 'support-team-cap', '-n', ns, '--type=merge', '-p', '{"spec":{"amount":"1000.00"}}']);
    const walletSpent = async () =>
      (
        await database.handle.db
          .selectFrom('wallets')
          .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
          .select('spent_nanos')
          .where('budgets.namespace', '=', ns)
          .where('budgets.name', '=', 'support')
          .executeTakeFirstOrThrow()
      ).spent_nanos;
    // Refreshed by the periodic Budget resync (1 s here, 30 s by default).
    const { obj } = await until('spend in status', async () => {
      const c = await condition('budget', ns, 'support');
      const spent = await walletSpent();
      return spent > 0n && (c.obj.status?.period as { spentExact?: string } | undefined)?.spentExact === formatUsd(spent, 9) ? c : null;
    });
    expect(obj.status?.period).toMatchObject({ limit: '200.00', members: 1, spent: '0.00', percentUsed: 0 });
  });

  it('a Budget naming a missing Team is Ready=False with the reason; creating the Team makes it Ready', async () => {
    const budget = `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ghost-budget, namespace: ${ns} }
spec: { target: { teams: [ghost] }, scope: Shared, amount: "5", period: Daily }`;
    await kubectl(['apply', '-f', '-'], budget);
    const missing = await until('MissingTeam', async () => {
      const c = await condition('budget', ns, 'ghost-budget');
      return c.condition?.reason === 'MissingTeam' ? c.condition : null;
    });
    expect(missing).toMatchObject({ status: 'False', message: 'team(s) "ghost" not found in this namespace' });
    expect((await condition('budget', ns, 'ghost-budget', 'Stalled')).condition?.status).toBe('True');
    const events = await kubectl(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=ghost-budget', '-o', 'json']);
    expect(events).toContain('MissingTeam');

    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: ghost, namespace: ${ns} }
spec: { costCenter: CC-GHOST }`);
    // The Budget is re-reconciled by the periodic resync.
    await until('Ready after the Team exists', async () => (await condition('budget', ns, 'ghost-budget')).condition?.status === 'True', 10_000, 100);
  });

  it('kubectl delete removes access and keeps history (row deactivated, finalizer released)', async () => {
    expect(await ask(sam, 'gpt-4o-mini')).toBe(200);
    await kubectl(['delete', 'modelpolicy', 'support', '-n', ns, '--wait=true', '--timeout=20s']);
    await until('403 after delete', async () => (await ask(sam, 'gpt-4o-mini')) === 403, 2000, 20);
    const row = await database.handle.db.selectFrom('model_policies').select('active').where('namespace', '=', ns).where('name', '=', 'support').executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
  });
});
