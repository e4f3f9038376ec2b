// The operator is killed (SIGKILL) in the middle of a stream of creates, updates and deletes;
// a new one converges to exactly the rows the `stipend dev` loader makes of the final state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { stipendResourceSchema } from '../../src/policy/resource.schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { installCrds, kubectl, uniqueNamespace, until } from './kube-helpers.ts';
import { reconciles, startOperatorProcess, type OperatorProcess } from './operator-process.ts';
import { policyRows } from './policy-rows.ts';

const ns = uniqueNamespace('restart');
const databases: TestDatabase[] = [];
const processes: OperatorProcess[] = [];

beforeAll(async () => {
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  for (const d of databases) await d.drop();
});

const doc = (kind: string, name: string, spec: string) => `apiVersion: stipend.dev/v1alpha1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: ${spec}\n`;
const team = (members: string[]) => doc('Team', 'crew', `{ costCenter: CC-CREW, members: [${members.map((m) => `{ email: ${m}@acme.example, jobLevel: 3 }`).join(', ')}] }`);
const budget = (i: number, amount: number) => doc('Budget', `b${i}`, `{ target: { teams: [crew] }, scope: ${i % 2 ? 'Shared' : 'PerMember'}, amount: "${amount}", period: Monthly }`);
const policy = (i: number, allow: string) => doc('ModelPolicy', `p${i}`, `{ target: { teams: [crew] }, allow: ["${allow}"] }`);

/** Every object observed at its current generation and Ready, and no deletion pending. */
async function converged(): Promise<boolean> {
  const { items } = JSON.parse(await kubectl(['get', 'teams,budgets,modelpolicies', '-n', ns, '-o', 'json'])) as {
    items: { metadata: { generation: number; deletionTimestamp?: string }; status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] } }[];
  };
  return items.every((o) => !o.metadata.deletionTimestamp && o.status?.observedGeneration === o.metadata.generation && o.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

describe('operator restart', () => {
  it('killed mid-stream, a new operator converges to the rows the dev loader makes of the final state', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const first = startOperatorProcess(db.url, [ns]);
    processes.push(first);
    await kubectl(['apply', '-f', '-'], [team(['ann', 'bob']), ...Array.from({ length: 10 }, (_, i) => budget(i, i + 1)), policy(0, 'openai/*'), policy(1, 'anthropic/*')].join('---\n'));

    // The stream: updates, deletes and creates, one kubectl call after another.
    const stream = (async () => {
      for (let i = 0; i < 10; i++) await kubectl(['apply', '-f', '-'], budget(i, (i + 1) * 10));
      await kubectl(['delete', 'budget/b8', 'budget/b9', 'modelpolicy/p1', '-n', ns, '--wait=false']);
      await kubectl(['apply', '-f', '-'], [team(['ann', 'bob', 'cy']), budget(10, 7), budget(11, 8), policy(2, 'google/*')].join('---\n'));
      await kubectl(['apply', '-f', '-'], policy(0, 'openai/gpt-4o*'));
    })();
    // Killed mid-stream: once it has written some budgets, while the stream goes on.
    const written = async () => (await db.handle.db.selectFrom('budgets').select('name').where('namespace', '=', ns).execute()).length >= 4;
    await until('the first operator mid-stream', written, 30_000, 5);
    await first.kill('SIGKILL');
    const doneBeforeKill = reconciles(first).length;
    await stream;

    const second = startOperatorProcess(db.url, [ns]);
    processes.push(second);
    await until('converged', converged, 60_000, 250);
    console.log(`killed after ${doneBeforeKill} reconciles; the new operator needed ${reconciles(second).length}`);

    // The dev loader, fed the objects as the cluster now has them.
    const { items } = JSON.parse(await kubectl(['get', 'teams,budgets,modelpolicies', '-n', ns, '-o', 'json'])) as { items: unknown[] };
    const viaDev = await createTestDatabase();
    databases.push(viaDev);
    await syncResources(viaDev.handle.db, items.map((i) => stipendResourceSchema.parse(i)));
    const rows = await policyRows(db.handle.db, ns, { activeOnly: true });
    expect(rows.budgets.map((b) => b.name).sort()).toEqual(['b0', 'b1', 'b10', 'b11', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    expect(rows).toEqual(await policyRows(viaDev.handle.db, ns, { activeOnly: true }));
    const inactive = await db.handle.db.selectFrom('budgets').select('name').where('namespace', '=', ns).where('active', '=', false).orderBy('name').execute();
    // A deleted budget that had reached Postgres stays, deactivated (history); none other is inactive.
    expect(inactive.every((r) => ['b8', 'b9'].includes(r.name))).toBe(true);
    const everWritten = await db.handle.db.selectFrom('budgets').select('name').where('namespace', '=', ns).where('name', 'in', ['b8', 'b9']).execute();
    expect(inactive).toHaveLength(everWritten.length);
  });
});
