// `stipend dev` (PGlite, policy folder) and the operator (kubectl → API server) write the
// same policy rows from the same YAML: one loader, two front doors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPglite } from '../../src/db/connect-pglite.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createKubeApi } from '../../src/operator/kube-api.ts';
import { runOperator, type RunningOperator } from '../../src/operator/operator.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { examplesIn, installCrds, kubeconfig, kubectl, uniqueNamespace } from './kube-helpers.ts';
import { policyRows } from './policy-rows.ts';

const ns = uniqueNamespace('parity');
let folder: string;
let dev: DbHandle;
let database: TestDatabase;
let operator: RunningOperator;

beforeAll(async () => {
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
  folder = await mkdtemp(join(tmpdir(), 'stipend-parity-'));
  await writeFile(join(folder, 'policy.yaml'), examplesIn(ns));
  dev = await connectPglite(); // in memory, as `stipend dev` runs it
  await migrateToLatest(dev.db);
  database = await createTestDatabase();
  operator = runOperator(createKubeApi(kubeconfig()), database.handle.db, pino({ level: 'silent' }), { namespaces: [ns] });
});
afterAll(async () => {
  await operator?.stop();
  await database?.drop();
  await dev?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('one loader', () => {
  it('`stipend dev` and the operator write identical policy rows from the same YAML', async () => {
    await syncResources(dev.db, await loadResourceFolder(folder)); // exactly what `stipend dev` does at start
    await kubectl(['apply', '-f', folder]);
    await kubectl(['wait', '--for=condition=Ready', '--timeout=30s', '-n', ns, 'budgets,teams,modelpolicies', '--all']);
    const viaOperator = await policyRows(database.handle.db, ns);
    expect(viaOperator.budgets).toHaveLength(7);
    expect(viaOperator.policies).toHaveLength(5);
    expect(viaOperator.members).toHaveLength(6);
    expect(viaOperator).toEqual(await policyRows(dev.db, ns));
  });
});
