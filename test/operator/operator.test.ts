// kubectl against a real API server → the operator → Postgres → the gateway enforces it.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { formatUsd, parseUsd } from '../../src/pricing/money.ts';
import { startHarness, type Harness } from '../support/gateway-harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { condition, examplesIn, installCrds, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';

const ns = uniqueNamespace('acme');
let database: TestDatabase;
let runtime: DbHandle; // the operator connects as the runtime role, as in the chart
let operator: RunningOperator;
let gateway: Harness;
let scratch: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
  // Budgets resync every second here (30 s by default) so the spend test is quick; nothing else waits for a resync.
  runtime = connectPostgres({ connectionString: database.runtimeUrl, maxConnections: 5 });
  operator = runOperator(createKubeApi(kubeconfig()), runtime.db, pino({ level: 'silent' }), { namespaces: [ns], budgetResyncMs: 1000 });
  gateway = await startHarness({ database });
  scratch = await mkdtemp(join(tmpdir(), 'stipend-operator-'));
});
afterAll(async () => {
  await gateway?.close();
  await operator?.stop();
  await runtime?.close();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status ?? 0);
const ask = (key: string, model: string) => status(client(key).chat.completions.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }));
const keyFor = async (email: string) => {
  const { key } = await createApiKey(database.handle.db, email);
  await gateway.gateway.policy.reload();
  return key;
};
/**
 * Runs a change and waits until the gateway answers as expected. The deadline is generous (a
 * loaded CI machine is slow); how fast it is, is measured by `npm run bench` (bench/apply-to-enforced.ts).
 */
const enforced = async (label: string, change: () => Promise<unknown>, isEnforced: () => Promise<boolean>) => {
  await change();
  await until(label, isEnforced, 30_000, 10);
};
const supportCap = (amount: string) => examplesIn(ns).split('---').find((d) => d.includes('name: support-team-cap'))!.replace('"1000.00"', `"${amount}"`);

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
    expect((await condition('team', ns, 'engineering')).obj.status).toMatchObject({ members: 3 });
    expect(await kubectl(['get', 'budgets', '-n', ns])).toMatch(/eng-principal\s+PerMember\s+3000\.00\s+Monthly\s+0\.000000000\s+0\s+True\s+Reconciled\s/);
    expect(await kubectl(['get', 'stipend', '-n', ns, '-o', 'name'])).toContain('modelpolicy.stipend.dev/design');
    expect(await kubectl(['get', 'stbudget', 'design', '-n', ns, '-o', 'name'])).toBe('budget.stipend.dev/design\n');
  });

  it('the gateway enforces it: an allowed model is served, another is 403', async () => {
    sam = await keyFor('sam@acme.example');
    expect(await ask(sam, 'gpt-4o-mini')).toBe(200);
    expect(await ask(sam, 'gpt-4o')).toBe(403);
  });

  it('a budget applied with kubectl runs out: 402, and the wallet never passes its limit', async () => {
    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: tiny, namespace: ${ns} }
spec: { costCenter: CC-TINY, members: [{ email: tina@acme.example }] }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: tiny, namespace: ${ns} }
spec: { target: { teams: [tiny] }, scope: Shared, amount: "0.002", period: Daily }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: tiny, namespace: ${ns} }
spec: { target: { teams: [tiny] }, allow: ["openai/gpt-4o-mini"] }`);
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'team/tiny', 'budget/tiny', 'modelpolicy/tiny']);
    const tina = await keyFor('tina@acme.example');
    // Each answer is 1,000 output tokens (≈ $0.0006): after a few, the next no longer fits in $0.002.
    const costly = () => status(client(tina).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'mock:tokens=1000' }] }));
    const answers: number[] = [];
    while (answers.length < 10 && answers.at(-1) !== 402) answers.push(await costly());
    expect(answers.at(-1)).toBe(402);
    expect(answers.slice(0, -1)).toEqual(Array(answers.length - 1).fill(200));
    expect(answers.length).toBeGreaterThanOrEqual(2);
    const wallet = await database.handle.db.selectFrom('wallets').innerJoin('budgets', 'budgets.id', 'wallets.budget_id').select(['spent_nanos', 'reserved_nanos']).where('budgets.namespace', '=', ns).where('budgets.name', '=', 'tiny').executeTakeFirstOrThrow();
    expect(wallet.spent_nanos + wallet.reserved_nanos).toBeLessThanOrEqual(parseUsd('0.002'));
  });

  it('kubectl apply, then kubectl edit, of a change: each enforced by the gateway', async () => {
    // Support's team cap drops to a micro-dollar (the next request cannot fit), then goes back up.
    await enforced('kubectl apply (cap → $0.000001)', () => kubectl(['apply', '-f', '-'], supportCap('0.000001')), async () => (await ask(sam, 'gpt-4o-mini')) === 402);
    const editor = join(scratch, 'edit.sh');
    await writeFile(editor, `#!/bin/sh\nsed -i 's/amount: "0.000001"/amount: "1000.00"/' "$1"\n`);
    await chmod(editor, 0o755);
    await enforced('kubectl edit (cap → $1000)', () => kubectl(['edit', 'budget', 'support-team-cap', '-n', ns], undefined, { KUBE_EDITOR: editor }), async () => (await ask(sam, 'gpt-4o-mini')) === 200);
  });

  it('Budget status shows this period, spend and percent used', async () => {
    const walletSpent = async () =>
      (await database.handle.db.selectFrom('wallets').innerJoin('budgets', 'budgets.id', 'wallets.budget_id').select('spent_nanos').where('budgets.namespace', '=', ns).where('budgets.name', '=', 'support').executeTakeFirstOrThrow()).spent_nanos;
    // Refreshed by the periodic Budget resync (1 s here, 30 s by default).
    const { obj } = await until('spend in status', async () => {
      const c = await condition('budget', ns, 'support');
      const spent = await walletSpent();
      return spent > 0n && (c.obj.status?.period as { spentExact?: string } | undefined)?.spentExact === formatUsd(spent, 9) ? c : null;
    });
    expect(obj.status?.period).toMatchObject({ limit: '200.00', members: 1, spent: '0.00', percentUsed: 0, maxMemberPercentUsed: 0 });
    expect((obj.status?.period as { start: string }).start).toMatch(/^\d{4}-\d\d-01T0\d:00:00\.000Z$/);
  });

  it('policies naming a missing Team are Ready=False with the reason; the Team appearing makes them Ready, its deletion not', async () => {
    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ghost, namespace: ${ns} }
spec: { target: { teams: [ghost] }, scope: Shared, amount: "5", period: Daily }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: ghost, namespace: ${ns} }
spec: { target: { teams: [ghost] }, allow: ["openai/*"] }`);
    for (const kind of ['budget', 'modelpolicy']) {
      const missing = await until(`${kind} MissingTeam`, async () => {
        const c = await condition(kind, ns, 'ghost');
        return c.condition?.reason === 'MissingTeam' ? c.condition : null;
      });
      expect(missing).toMatchObject({ status: 'False', message: 'team(s) "ghost" not found in this namespace' });
      expect((await condition(kind, ns, 'ghost', 'Stalled')).condition?.status).toBe('True');
    }
    const events = await kubectl(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=ghost', '-o', 'json']);
    expect(events).toContain('MissingTeam');

    // The team's reconcile re-queues the policies that name it: no waiting for a resync (the
    // ModelPolicy's is 5 minutes away; the deadlines below are only generous for a loaded machine).
    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: ghost, namespace: ${ns} }
spec: { costCenter: CC-GHOST }`);
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budget/ghost', 'modelpolicy/ghost']);
    await kubectl(['delete', 'team', 'ghost', '-n', ns, '--wait=true', '--timeout=30s']);
    await kubectl(['wait', '--for=condition=Stalled', '--timeout=30s', '-n', ns, 'budget/ghost', 'modelpolicy/ghost']);
  });

  it('kubectl delete removes access and keeps history (row deactivated, finalizer released)', async () => {
    expect(await ask(sam, 'gpt-4o-mini')).toBe(200);
    await enforced('kubectl delete modelpolicy', () => kubectl(['delete', 'modelpolicy', 'support', '-n', ns, '--wait=true', '--timeout=20s']), async () => (await ask(sam, 'gpt-4o-mini')) === 403);
    const row = await database.handle.db.selectFrom('model_policies').select('active').where('namespace', '=', ns).where('name', '=', 'support').executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(await kubectl(['get', 'modelpolicies', '-n', ns, '-o', 'name'])).not.toContain('modelpolicy.stipend.dev/support\n');
  });
});
