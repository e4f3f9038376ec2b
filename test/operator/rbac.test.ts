// The operator runs with nothing but the Helm chart's RBAC (a ServiceAccount token, a Role
// in the watched namespace): everything it does — watch, finalizer, status, events — is allowed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { render } from '../deploy/helm.ts';
import { examplesIn, installCrds, kubeconfig, kubectl, uniqueNamespace } from './kube-helpers.ts';

const ns = uniqueNamespace('rbac');
const release = `op-${ns}`;
const logs: string[] = [];
let scratch: string;
let database: TestDatabase;
let operator: RunningOperator;

beforeAll(async () => {
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
  const { objects } = await render(release, ns, [], ['--set', `operator.namespaces[0]=${ns}`]);
  const rbac = objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind) && o.metadata.name.endsWith('-operator'));
  expect(rbac.map((o) => o.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
  await kubectl(['apply', '-n', ns, '-f', '-'], rbac.map((o) => JSON.stringify(o)).join('\n'));
  const account = rbac.find((o) => o.kind === 'ServiceAccount')!.metadata.name;
  const token = (await kubectl(['create', 'token', account, '-n', ns, '--duration=1h'])).trim();

  // A kubeconfig with the API server and its CA from the admin's, and the ServiceAccount's token.
  const admin = parse(readFileSync(kubeconfig(), 'utf8')) as { clusters: { cluster: Record<string, string> }[] };
  scratch = await mkdtemp(join(tmpdir(), 'stipend-rbac-'));
  const file = join(scratch, 'kubeconfig');
  await writeFile(file, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: admin.clusters[0]!.cluster }],
    users: [{ name: 'operator', user: { token } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'operator', namespace: ns } }],
    'current-context': 'c',
  }));
  database = await createTestDatabase();
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
  operator = runOperator(createKubeApi(file), database.handle.db, logger, { namespaces: [ns] });
});
afterAll(async () => {
  await operator?.stop();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the chart's RBAC", () => {
  it('is enough: the example policy is reconciled, status and events written, deletion finalized', async () => {
    await kubectl(['apply', '-f', '-'], examplesIn(ns));
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budgets,teams,modelpolicies', '--all']);
    expect(await kubectl(['get', 'events', '-n', ns, '--field-selector', 'reason=Reconciled', '-o', 'name'])).not.toBe('');
    await kubectl(['delete', 'modelpolicy', 'design', '-n', ns, '--wait=true', '--timeout=30s']);
    const row = await database.handle.db.selectFrom('model_policies').select('active').where('namespace', '=', ns).where('name', '=', 'design').executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(logs.filter((l) => /forbidden|403/i.test(l))).toEqual([]);
  });
});
