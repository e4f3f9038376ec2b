// Health as Argo CD and Flux read it, from real objects the operator wrote: the Argo CD Lua
// check run on gopher-lua (Argo CD's VM), and kstatus conditions for Flux and kubectl wait.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildHealthRunner, health } from './argocd-health.ts';
import { installCrds, kubeconfig, kubectl, uniqueNamespace, until } from './kube-helpers.ts';

const [good, broken, unwatched] = [uniqueNamespace('healthy'), uniqueNamespace('broken'), uniqueNamespace('unwatched')];
const docsScript = new URL('../../docs/argocd-health.lua', import.meta.url).pathname;
const argocdCm = new URL('../../manifests/examples/argocd-cm-health.yaml', import.meta.url).pathname;
const silent = pino({ level: 'silent' });
const unreachable = connectPostgres({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere' });
let runner: string;
let scripts: string[];
let scratch: string;
let database: TestDatabase;
const operators: RunningOperator[] = [];

beforeAll(async () => {
  runner = await buildHealthRunner();
  scratch = await mkdtemp(join(tmpdir(), 'stipend-health-'));
  // The documented script, and each kind's copy in the argocd-cm example: all must agree.
  const cm = parse(readFileSync(argocdCm, 'utf8')) as { data: Record<string, string> };
  scripts = [docsScript];
  for (const kind of ['Budget', 'Team', 'ModelPolicy']) {
    const file = join(scratch, `${kind}.lua`);
    await writeFile(file, cm.data[`resource.customizations.health.stipend.dev_${kind}`]!);
    scripts.push(file);
  }
  await installCrds();
  for (const ns of [good, broken, unwatched]) await kubectl(['create', 'namespace', ns]);
  database = await createTestDatabase();
  operators.push(runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [good] }));
  operators.push(runOperator(createKubeApi(kubeconfig()), unreachable.db, silent, { namespaces: [broken] }));
}, 180_000); // the first run builds the gopher-lua runner (~30 s)
afterAll(async () => {
  for (const o of operators) await o.stop();
  await unreachable.close();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const apply = (ns: string, name: string, teams: string) =>
  kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ${name}, namespace: ${ns} }
spec: { target: { teams: [${teams}] }, scope: Shared, amount: "5", period: Daily }`);
const get = async (ns: string, name: string) => JSON.parse(await kubectl(['get', 'budget', name, '-n', ns, '-o', 'json'])) as Record<string, unknown>;
const healthEverywhere = async (obj: unknown) => {
  const results = await Promise.all(scripts.map((s) => health(runner, s, obj)));
  for (const r of results) expect(r).toEqual(results[0]);
  return results[0]!;
};

describe('health', () => {
  it('Ready → Healthy; a missing team → Degraded with the reason; not yet reconciled → Progressing', async () => {
    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1\nkind: Team\nmetadata: { name: eng, namespace: ${good} }\nspec: {}`);
    await apply(good, 'fine', 'eng');
    await apply(good, 'orphan', 'nobody');
    await apply(unwatched, 'waiting', 'eng');
    await kubectl(['wait', '--for=condition=Ready', '--timeout=10s', '-n', good, 'budget/fine']); // what Flux's kstatus reads too
    await kubectl(['wait', '--for=condition=Stalled', '--timeout=10s', '-n', good, 'budget/orphan']);

    expect(await healthEverywhere(await get(good, 'fine'))).toEqual({ status: 'Healthy', message: 'budget enforced by the gateways' });
    expect(await healthEverywhere(await get(good, 'orphan'))).toEqual({ status: 'Degraded', message: 'MissingTeam: team(s) "nobody" not found in this namespace' });
    expect((await healthEverywhere(await get(unwatched, 'waiting'))).status).toBe('Progressing');
    const behind = await get(good, 'fine');
    (behind.metadata as { generation: number }).generation += 1; // a spec change not yet observed
    expect((await healthEverywhere(behind)).status).toBe('Progressing');
  });

  it('Postgres unreachable → Ready=False, Reconciling=True, reason ReconcileError; a Warning event; no crash', async () => {
    await apply(broken, 'stuck', 'eng');
    const obj = await until('ReconcileError in status', async () => {
      const o = (await get(broken, 'stuck')) as { status?: { conditions?: { type: string; status: string; reason: string }[] } };
      return o.status?.conditions?.find((c) => c.type === 'Reconciling' && c.status === 'True') ? o : null;
    });
    const byType = Object.fromEntries(obj.status!.conditions!.map((c) => [c.type, `${c.status}/${c.reason}`]));
    expect(byType).toEqual({ Ready: 'False/ReconcileError', Reconciling: 'True/ReconcileError', Stalled: 'False/ReconcileError' });
    expect((await healthEverywhere(obj)).status).toBe('Degraded');
    const events = await kubectl(['get', 'events', '-n', broken, '--field-selector', 'involvedObject.name=stuck,type=Warning', '-o', 'name']);
    expect(events.trim()).not.toBe('');
  });
});
