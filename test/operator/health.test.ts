// Health as Argo CD and Flux read it, from real objects on the API server: the Argo CD Lua
// check run on gopher-lua (Argo CD's VM), and kstatus itself (sigs.k8s.io/cli-utils, what
// Flux's `wait` and health checks compute) — including for objects no operator has seen.
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
import { buildKstatus, kstatus } from './kstatus.ts';

const [good, broken, unwatched, paused, gone] = ['healthy', 'broken', 'unwatched', 'paused', 'gone'].map(uniqueNamespace) as [string, string, string, string, string];
const docsScript = new URL('../../docs/argocd-health.lua', import.meta.url).pathname;
const argocdCm = new URL('../../manifests/examples/argocd-cm-health.yaml', import.meta.url).pathname;
const silent = pino({ level: 'silent' });
const unreachable = connectPostgres({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere' });
let runner: string;
let kstatusBin: string;
let scripts: string[];
let scratch: string;
let database: TestDatabase;
const operators: RunningOperator[] = [];

beforeAll(async () => {
  [runner, kstatusBin] = await Promise.all([buildHealthRunner(), buildKstatus()]);
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
  for (const ns of [good, broken, unwatched, paused, gone]) await kubectl(['create', 'namespace', ns]);
  database = await createTestDatabase();
  operators.push(runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [good] }));
  operators.push(runOperator(createKubeApi(kubeconfig()), unreachable.db, silent, { namespaces: [broken] }));
}, 300_000); // the first run builds the gopher-lua runner and kstatus (~30 s and ~1 min)
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
const get = async (ns: string, name: string, kind = 'budget') => JSON.parse(await kubectl(['get', kind, name, '-n', ns, '-o', 'json'])) as Record<string, unknown>;
const fluxSees = async (ns: string, name: string, kind = 'budget') => (await kstatus(kstatusBin, await get(ns, name, kind))).status;
const healthEverywhere = async (obj: unknown) => {
  const results = await Promise.all(scripts.map((s) => health(runner, s, obj)));
  for (const r of results) expect(r).toEqual(results[0]);
  return results[0]!;
};

const team = (ns: string, name: string) => `apiVersion: stipend.dev/v1alpha1\nkind: Team\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: { displayName: ${name} }`;

describe('health', () => {
  it('Ready → Healthy / Current; a missing team → Degraded / Failed with the reason; not yet reconciled → Progressing / InProgress', async () => {
    await kubectl(['apply', '-f', '-'], team(good, 'eng'));
    await apply(good, 'fine', 'eng');
    await apply(good, 'orphan', 'nobody');
    await apply(unwatched, 'waiting', 'eng');
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', good, 'budget/fine']);
    await kubectl(['wait', '--for=condition=Stalled', '--timeout=30s', '-n', good, 'budget/orphan']);

    expect(await healthEverywhere(await get(good, 'fine'))).toEqual({ status: 'Healthy', message: 'budget enforced by the gateways' });
    expect(await kstatus(kstatusBin, await get(good, 'fine'))).toEqual({ status: 'Current', message: 'Resource is Ready' });
    expect(await healthEverywhere(await get(good, 'orphan'))).toEqual({ status: 'Degraded', message: 'MissingTeam: team(s) "nobody" not found in this namespace' });
    // Stalled=True is kstatus' Failed: Flux stops waiting and reports the message.
    expect(await kstatus(kstatusBin, await get(good, 'orphan'))).toEqual({ status: 'Failed', message: 'team(s) "nobody" not found in this namespace' });
    expect((await healthEverywhere(await get(unwatched, 'waiting'))).status).toBe('Progressing');
    expect(await fluxSees(unwatched, 'waiting')).toBe('InProgress');
  });

  it('no operator has seen it: every kind is InProgress to kstatus (a Flux `wait: true` does not pass), even with a status in the manifest', async () => {
    const forged = 'status: { observedGeneration: 1, conditions: [{ type: Ready, status: "True", reason: Reconciled, message: forged, lastTransitionTime: "2026-01-01T00:00:00Z" }] }';
    await kubectl(['apply', '-f', '-'], [
      team(unwatched, 'nobody-watches'),
      `apiVersion: stipend.dev/v1alpha1\nkind: Budget\nmetadata: { name: forged, namespace: ${unwatched} }\nspec: { target: { teams: [nobody-watches] }, scope: Shared, amount: "5", period: Daily }\n${forged}`,
      `apiVersion: stipend.dev/v1alpha1\nkind: ModelPolicy\nmetadata: { name: unseen, namespace: ${unwatched} }\nspec: { target: { teams: [nobody-watches] }, allow: ["openai/*"] }`,
    ].join('\n---\n'));
    for (const [kind, name] of [['team', 'nobody-watches'], ['budget', 'forged'], ['modelpolicy', 'unseen']] as const) {
      const obj = await get(unwatched, name, kind);
      const kindName = { team: 'Team', budget: 'Budget', modelpolicy: 'ModelPolicy' }[kind];
      expect(await kstatus(kstatusBin, obj), kind).toEqual({ status: 'InProgress', message: `${kindName} generation is 1, but latest observed generation is 0` });
      expect((await healthEverywhere(obj)).status, kind).toBe('Progressing');
    }
  });

  it('old generation: a change made while the operator is away is InProgress until an operator observes it, then Current', async () => {
    const first = runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [paused] });
    try {
      await kubectl(['apply', '-f', '-'], team(paused, 'eng'));
      await apply(paused, 'edited', 'eng');
      await until('Current', async () => (await fluxSees(paused, 'edited')) === 'Current');
    } finally {
      await first.stop();
    }
    await kubectl(['apply', '-f', '-'], `apiVersion: stipend.dev/v1alpha1\nkind: Budget\nmetadata: { name: edited, namespace: ${paused} }\nspec: { target: { teams: [eng] }, scope: Shared, amount: "6", period: Daily }`);
    const behind = await get(paused, 'edited');
    expect(behind).toMatchObject({ metadata: { generation: 2 }, status: { observedGeneration: 1 } });
    expect(await kstatus(kstatusBin, behind)).toEqual({ status: 'InProgress', message: 'Budget generation is 2, but latest observed generation is 1' });
    expect((await healthEverywhere(behind)).status).toBe('Progressing');

    const second = runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [paused] });
    operators.push(second);
    await until('Current again', async () => (await fluxSees(paused, 'edited')) === 'Current');
    expect(await get(paused, 'edited')).toMatchObject({ status: { observedGeneration: 2 } });
  });

  it('the operator gone: a deleted object waits in Terminating; the documented patch releases it; the next operator deactivates its rows', async () => {
    const first = runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [gone] });
    try {
      await kubectl(['apply', '-f', '-'], team(gone, 'eng'));
      await apply(gone, 'leaving', 'eng');
      await until('Current', async () => (await fluxSees(gone, 'leaving')) === 'Current');
    } finally {
      await first.stop();
    }
    await kubectl(['delete', 'budget', 'leaving', '-n', gone, '--wait=false']);
    const held = await get(gone, 'leaving');
    expect(held).toMatchObject({ metadata: { finalizers: ['stipend.dev/cleanup'] } });
    expect((await kstatus(kstatusBin, held)).status).toBe('Terminating');
    // docs/operator.md, "Uninstalling": what to run when no operator will ever come back.
    await kubectl(['patch', 'Budget', 'leaving', '-n', gone, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    expect(await kubectl(['get', 'budget', 'leaving', '-n', gone, '--ignore-not-found', '-o', 'name'])).toBe('');
    const active = async () => (await database.handle.db.selectFrom('budgets').select('active').where('namespace', '=', gone).where('name', '=', 'leaving').executeTakeFirstOrThrow()).active;
    expect(await active()).toBe(true); // nobody deactivated it yet
    operators.push(runOperator(createKubeApi(kubeconfig()), database.handle.db, silent, { namespaces: [gone] }));
    await until('the row deactivated by the next operator', async () => (await active()) === false);
  });

  it('Postgres unreachable → Ready=False, Reconciling=True, reason ReconcileError (InProgress to kstatus); a Warning event; no crash', async () => {
    await apply(broken, 'stuck', 'eng');
    const obj = await until('ReconcileError in status', async () => {
      const o = (await get(broken, 'stuck')) as { status?: { conditions?: { type: string; status: string; reason: string }[] } };
      return o.status?.conditions?.find((c) => c.type === 'Reconciling' && c.status === 'True') ? o : null;
    });
    const byType = Object.fromEntries(obj.status!.conditions!.map((c) => [c.type, `${c.status}/${c.reason}`]));
    expect(byType).toEqual({ Ready: 'False/ReconcileError', Reconciling: 'True/ReconcileError', Stalled: 'False/ReconcileError' });
    expect((await healthEverywhere(obj)).status).toBe('Degraded');
    expect((await kstatus(kstatusBin, obj)).status).toBe('InProgress');
    const events = await kubectl(['get', 'events', '-n', broken, '--field-selector', 'involvedObject.name=stuck,type=Warning', '-o', 'name']);
    expect(events.trim()).not.toBe('');
  });
});
