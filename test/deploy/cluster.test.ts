// The chart against the real kube-apiserver from test/k8s (RBAC on, no pods; of the controllers
// only Kubernetes' clusterrole-aggregation one, run here): every object accepted, the RBAC
// objects really created and probed with `kubectl auth can-i`, and a whole Helm release
// lifecycle with its migration hook — refused at once without the database Secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds, kubeconfig, kubectl, kubectlFails, uniqueNamespace, until } from '../operator/kube-helpers.ts';
import { chart, get, helm, notesOf, notesPolicy, podSpecOf, render, valuesFiles, type K8sObject } from './helm.ts';
import { startRbacAggregation } from './rbac-aggregation.ts';

const ns = uniqueNamespace('chart');
const other = uniqueNamespace('chart-other');
/** Cluster-scoped objects this file creates, removed at the end (namespaces never finish deleting here). */
const clusterScoped: string[] = [];
const toStdin = (objects: readonly K8sObject[]) => objects.map((o) => JSON.stringify(o)).join('\n');
/** Rules of a built-in role that mention stipend.dev (filled in by the aggregation controller). */
const stipendRulesOf = async (role: string) =>
  (JSON.parse(await kubectl(['get', 'clusterrole', role, '-o', 'json'])) as { rules?: { apiGroups?: string[] }[] }).rules?.filter((r) => r.apiGroups?.includes('stipend.dev')) ?? [];
let aggregation: Awaited<ReturnType<typeof startRbacAggregation>> | undefined;

beforeAll(async () => {
  await installCrds();
  for (const name of [ns, other]) await kubectl(['create', 'namespace', name]);
  // namespaced.yaml binds Roles in these two.
  for (const name of ['acme', 'acme-labs']) await kubectl(['create', 'namespace', name]).catch(() => undefined);
  aggregation = await startRbacAggregation();
}, 600_000); // the first run builds the aggregation controller from k8s.io/kubernetes (minutes)
afterAll(async () => {
  for (const name of clusterScoped) await kubectl(['delete', name, '--ignore-not-found']).catch(() => undefined);
  // Leave the shared API server's view/edit/admin as we found them: the controller drops our rules.
  await until('view, edit and admin without stipend.dev rules', async () => (await Promise.all(['view', 'edit', 'admin'].map(stipendRulesOf))).every((r) => r.length === 0), 30_000, 200).catch(() => undefined);
  await aggregation?.stop();
});

describe('every object is valid for the API server (server-side apply, dry run)', () => {
  it.each([['default'], ...valuesFiles.map((f) => [f])])('%s', async (file) => {
    const { objects } = await render(`dry-${ns}`, ns, file === 'default' ? [] : [file]);
    // The Prometheus Operator's CRD is not installed here: the ServiceMonitor is the one object left out.
    const accepted = objects.filter((o) => o.kind !== 'ServiceMonitor');
    expect(objects.length - accepted.length).toBe(file === 'production.yaml' ? 1 : 0);
    const out = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], toStdin(accepted));
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(accepted.length);
    for (const line of lines) expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
  });
});

describe('Pod Security', () => {
  it("every pod of every render is admitted by the 'restricted' Pod Security Standard", async () => {
    const restricted = uniqueNamespace('restricted');
    await kubectl(['create', 'namespace', restricted]);
    await kubectl(['label', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/enforce-version=latest']);
    // No controller-manager here: create the accounts the pods name (and `default`) ourselves.
    for (const account of ['default', 'stipend-gateway', 'stipend-operator']) await kubectl(['create', 'serviceaccount', account, '-n', restricted]);
    // production.yaml names a PriorityClass, which admission checks too.
    await kubectl(['create', 'priorityclass', 'business-critical', '--value=1000000']).catch(() => undefined);
    for (const file of [[], ...valuesFiles.map((f) => [f])]) {
      const { objects } = await render('stipend', restricted, file);
      const pods = objects.filter(podSpecOf).map((o) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${o.kind.toLowerCase()}-${o.metadata.name}`, namespace: restricted },
        spec: podSpecOf(o),
      }));
      const out = await kubectl(['apply', '--dry-run=server', '-f', '-'], toStdin(pods as K8sObject[]));
      expect(out.trim().split('\n'), file.join()).toEqual(pods.map((p) => `pod/${p.metadata.name} created (server dry run)`));
    }
  });

  it('a pod that breaks the profile is refused there (the check is real)', async () => {
    const restricted = uniqueNamespace('restricted');
    await kubectl(['create', 'namespace', restricted]);
    await kubectl(['label', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted']);
    await kubectl(['create', 'serviceaccount', 'default', '-n', restricted]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root', namespace: restricted }, spec: { containers: [{ name: 'a', image: 'a' }] } };
    const error = await kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(pod)).catch((e: { stderr?: string }) => e.stderr ?? '');
    expect(error).toContain('violates PodSecurity "restricted:latest"');
  });
});

/** `kubectl auth can-i --list` rows ("resource verbs") that `subject` has beyond any authenticated account. */
async function grants(subject: string, namespace: string): Promise<string[]> {
  const rows = async (as: string) =>
    (await kubectl(['auth', 'can-i', '--list', '--as', as, '-n', namespace]))
      .split('\n')
      .slice(1)
      .filter((l) => /^\S/.test(l))
      .map((l) => `${l.split(/\s+/)[0]} ${l.slice(l.lastIndexOf('['))}`);
  const baseline = new Set(await rows(`system:serviceaccount:${namespace}:nobody-${ns}`));
  return (await rows(subject)).filter((r) => !baseline.has(r)).sort();
}

const can = async (subject: string, ...args: string[]) =>
  (await kubectl(['auth', 'can-i', '--as', subject, ...args]).catch((e: { stdout?: string }) => e.stdout ?? '')).trim();

describe('RBAC, really created', () => {
  const release = `rbac-${ns}`;
  const operator = `system:serviceaccount:${ns}:${release}-stipend-operator`;
  const gateway = `system:serviceaccount:${ns}:${release}-stipend-gateway`;

  beforeAll(async () => {
    const { objects } = await render(release, ns);
    const rbac = objects.filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind) && !/-(view|edit)$/.test(o.metadata.name));
    expect(rbac.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ServiceAccount', 'ServiceAccount']);
    clusterScoped.push(`clusterrolebinding/${release}-stipend-operator`, `clusterrole/${release}-stipend-operator`);
    await kubectl(['apply', '-f', '-'], toStdin(rbac));
  });

  it('the operator may do exactly what it does: watch the three kinds, patch them and their status, create Events', async () => {
    for (const where of [ns, other]) {
      expect(await grants(operator, where)).toEqual([
        'budgets.stipend.dev [get list watch patch]',
        'budgets.stipend.dev/status [patch]',
        'events [create]',
        'modelpolicies.stipend.dev [get list watch patch]',
        'modelpolicies.stipend.dev/status [patch]',
        'teams.stipend.dev [get list watch patch]',
        'teams.stipend.dev/status [patch]',
      ]);
    }
    for (const kind of ['budgets', 'teams', 'modelpolicies']) {
      for (const verb of ['get', 'list', 'watch', 'patch']) expect(await can(operator, verb, `${kind}.stipend.dev`, '-A'), `${verb} ${kind}`).toBe('yes');
      expect(await can(operator, 'patch', `${kind}.stipend.dev`, '--subresource=status', '-n', other)).toBe('yes');
    }
    expect(await can(operator, 'create', 'events', '-n', other)).toBe('yes');
  });

  it('and nothing else: no delete/create/update of policy, no Secrets, Pods, ConfigMaps, Leases or RBAC', async () => {
    const denied: string[][] = [
      ['delete', 'budgets.stipend.dev', '-n', ns],
      ['create', 'budgets.stipend.dev', '-n', ns],
      ['update', 'budgets.stipend.dev', '-n', ns],
      ['deletecollection', 'teams.stipend.dev', '-n', ns],
      ['update', 'budgets.stipend.dev', '--subresource=status', '-n', ns],
      ['patch', 'customresourcedefinitions.apiextensions.k8s.io'],
      ['get', 'secrets', '-n', ns],
      ['list', 'secrets', '-A'],
      ['list', 'pods', '-A'],
      ['create', 'pods/exec', '-n', ns],
      ['get', 'configmaps', '-n', ns],
      ['create', 'leases.coordination.k8s.io', '-n', ns],
      ['patch', 'events', '-n', ns],
      ['create', 'rolebindings.rbac.authorization.k8s.io', '-n', ns],
      ['create', 'serviceaccounts/token', '-n', ns],
    ];
    for (const args of denied) expect(await can(operator, ...args), args.join(' ')).toBe('no');
  });

  it("the gateway's ServiceAccount can do nothing at all", async () => {
    expect(await grants(gateway, ns)).toEqual([]);
    for (const args of [['get', 'budgets.stipend.dev', '-A'], ['list', 'pods', '-n', ns], ['get', 'secrets', '-n', ns], ['create', 'events', '-n', ns], ['get', 'configmaps', '-n', ns]]) {
      expect(await can(gateway, ...args), args.join(' ')).toBe('no');
    }
  });

  it('a namespaced operator (operator.namespaces) is confined to the namespaces it watches', async () => {
    const scoped = `scoped-${ns}`;
    const { objects } = await render(scoped, ns, [], ['--set', `operator.namespaces[0]=${other}`]);
    const rbac = objects.filter((o) => ['Role', 'RoleBinding'].includes(o.kind) || (o.kind === 'ServiceAccount' && o.metadata.name.endsWith('-operator')));
    expect(rbac.map((o) => `${o.kind}/${o.metadata.namespace}`).sort()).toEqual([`Role/${other}`, `RoleBinding/${other}`, `ServiceAccount/${ns}`]);
    await kubectl(['apply', '-f', '-'], toStdin(rbac));
    const subject = `system:serviceaccount:${ns}:${scoped}-stipend-operator`;
    expect(await grants(subject, other)).toEqual(await grants(operator, other));
    expect(await grants(subject, ns)).toEqual([]);
    expect(await can(subject, 'list', 'budgets.stipend.dev', '-A')).toBe('no');
    expect(await can(subject, 'watch', 'budgets.stipend.dev', '-n', other)).toBe('yes');
  });
});

describe("people get Teams, Budgets and ModelPolicies through Kubernetes' view, edit and admin roles", () => {
  const release = `agg-${ns.slice(-6)}`;
  const [viewer, editor, admin] = ['viewer', 'editor', 'admin'].map((u) => `${u}-${ns}`) as [string, string, string];
  const kinds = ['teams.stipend.dev', 'budgets.stipend.dev', 'modelpolicies.stipend.dev'];

  beforeAll(async () => {
    const { objects } = await render(release, ns);
    const roles = objects.filter((o) => o.kind === 'ClusterRole' && /-(view|edit)$/.test(o.metadata.name));
    expect(roles.map((r) => r.metadata.name).sort()).toEqual([`${release}-stipend-edit`, `${release}-stipend-view`]);
    clusterScoped.push(...roles.map((r) => `clusterrole/${r.metadata.name}`));
    await kubectl(['apply', '-f', '-'], toStdin(roles));
    for (const [user, role] of [[viewer, 'view'], [editor, 'edit'], [admin, 'admin']]) await kubectl(['create', 'rolebinding', `${role}-${release}`, `--clusterrole=${role}`, `--user=${user}`, '-n', ns]);
    // The controller fills view, edit and admin from the labelled roles (edit and admin also take view's rules).
    await until('aggregated', async () => (await can(admin, 'get', 'budgets.stipend.dev', '-n', ns)) === 'yes' && (await can(editor, 'create', 'teams.stipend.dev', '-n', ns)) === 'yes', 30_000, 200);
  });

  it('view: read the three kinds and their status, change nothing', async () => {
    for (const kind of kinds) {
      for (const verb of ['get', 'list', 'watch']) expect(await can(viewer, verb, kind, '-n', ns), `${verb} ${kind}`).toBe('yes');
      for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) expect(await can(viewer, verb, kind, '-n', ns), `${verb} ${kind}`).toBe('no');
      expect(await can(viewer, 'get', kind, '--subresource=status', '-n', ns)).toBe('yes');
      expect(await can(viewer, 'get', kind, '-n', other), 'only where bound').toBe('no');
    }
  });

  it("edit and admin: declare policy (create, change, delete), but never write the operator's status", async () => {
    for (const user of [editor, admin]) {
      for (const kind of kinds) {
        for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']) expect(await can(user, verb, kind, '-n', ns), `${user} ${verb} ${kind}`).toBe('yes');
        for (const verb of ['update', 'patch']) expect(await can(user, verb, kind, '--subresource=status', '-n', ns), `${user} ${verb} ${kind}/status`).toBe('no');
        expect(await can(user, 'create', kind, '-n', other), 'only where bound').toBe('no');
      }
    }
  });

  it('and it is real: the editor applies the policy NOTES.txt shows, the viewer cannot', async () => {
    const policy = notesPolicy(await notesOf());
    const out = await kubectl(['apply', '-n', ns, '--as', editor, '-f', '-'], policy);
    expect(out.trim().split('\n')).toEqual(['team.stipend.dev/engineering created', 'budget.stipend.dev/engineering-monthly created', 'modelpolicy.stipend.dev/engineering-models created']);
    expect(await kubectl(['get', 'budgets', '-n', ns, '--as', viewer, '-o', 'name'])).toContain('budget.stipend.dev/engineering-monthly');
    expect(await kubectlFails(['delete', 'budget', 'engineering-monthly', '-n', ns, '--as', viewer])).toContain('forbidden');
  });
});

describe('a Helm release on the real API server', () => {
  const release = `life-${ns.slice(-6)}`;
  const job = `job/${release}-stipend-migrate`;
  const helmIn = (args: string[]) => helm([...args, '--namespace', ns, '--kubeconfig', kubeconfig()]);
  const exists = async (ref: string) => (await kubectl(['get', ref, '-n', ns, '--ignore-not-found', '-o', 'name'])).trim() !== '';
  const graceOf = async () => Number(await kubectl(['get', `deployment/${release}-stipend-gateway`, '-n', ns, '-o', 'jsonpath={.spec.template.spec.terminationGracePeriodSeconds}']));

  const unfinishedJob = async () => {
    const out = await kubectl(['get', job, '-n', ns, '--ignore-not-found', '-o', 'json']);
    const j = out.trim() ? (JSON.parse(out) as { metadata: { uid: string }; status?: { conditions?: unknown[] } }) : null;
    return j && !j.status?.conditions?.length ? j.metadata.uid : null;
  };
  /** No Job controller runs here: the test plays it, finishing the migration Job as it chooses. */
  async function finishMigration(outcome: 'Complete' | 'Failed') {
    await until('a new migration job', unfinishedJob, 30_000, 100);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string) => ({ type, status: 'True', reason: outcome === 'Failed' ? 'BackoffLimitExceeded' : type, message: 'set by the test', lastProbeTime: now, lastTransitionTime: now });
    const status =
      outcome === 'Complete'
        ? { startTime: now, completionTime: now, succeeded: 1, conditions: [condition('SuccessCriteriaMet'), condition('Complete')] }
        : { startTime: now, failed: 4, conditions: [condition('FailureTarget'), condition('Failed')] };
    await kubectl(['patch', job, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
  }

  /** helm install's output (stdout, or stderr when it fails), whitespace-folded; and no release left behind. */
  const refusal = async (args: string[]) => {
    const out = await helmIn(['install', release, chart, ...args]).catch((e: { stderr?: string }) => e.stderr ?? String(e));
    expect(await helm(['list', '--namespace', ns, '--kubeconfig', kubeconfig(), '-q'])).not.toContain(release); // nothing installed
    return out.replace(/\s+/g, ' ');
  };

  it('without the database Secret (or its key) install refuses at once, saying which Secret and how to create it', async () => {
    expect(await refusal([])).toContain(
      `Error: INSTALLATION FAILED: execution error at (stipend/templates/gateway-deployment.yaml:1:4): Secret "stipend-database" not found in namespace "${ns}" (values database.existingSecret, database.key): the migration and every Stipend pod need it. Create it, then install again: kubectl -n ${ns} create secret generic stipend-database --from-literal=url='postgres://stipend_app:PASSWORD@HOST:5432/stipend'`,
    );
    expect(await refusal(['--dry-run=server'])).toContain('Secret "stipend-database" not found');
    // The chart names the Secret the values name.
    expect(await refusal(['--set', 'database.existingSecret=pg-app', '--set', 'database.key=uri'])).toContain(`Secret "pg-app" not found in namespace "${ns}"`);
    await kubectl(['create', 'secret', 'generic', 'stipend-database', '-n', ns, '--from-literal=uri=postgres://stipend@db:5432/stipend']);
    expect(await refusal([])).toContain(
      `Secret "stipend-database" in namespace "${ns}" has no key "url", or it is empty (values database.existingSecret, database.key). Add it, then install again: kubectl -n ${ns} patch secret stipend-database -p '{"stringData":{"url":"postgres://stipend_app:PASSWORD@HOST:5432/stipend"}}'`,
    );
    // The command the message prints fixes it.
    await kubectl(['patch', 'secret', 'stipend-database', '-n', ns, '-p', JSON.stringify({ stringData: { url: 'postgres://stipend@db:5432/stipend' } })]);
    // Migrations run as the owner, another database role: that Secret is required too.
    expect(await refusal([])).toContain(
      `Secret "stipend-database-owner" not found in namespace "${ns}" (values migrations.existingSecret, migrations.key): the migration and every Stipend pod need it. Create it, then install again: kubectl -n ${ns} create secret generic stipend-database-owner --from-literal=url='postgres://OWNER:PASSWORD@HOST:5432/stipend'`,
    );
    expect(await refusal(['--set', 'migrations.existingSecret=stipend-owner'])).toContain(`Secret "stipend-owner" not found in namespace "${ns}" (values migrations.existingSecret, migrations.key)`);
    await kubectl(['create', 'secret', 'generic', 'stipend-database-owner', '-n', ns, '--from-literal=url=postgres://stipend_owner@db:5432/stipend']);
    expect(await refusal(['--dry-run=server'])).toContain('STATUS: pending-install'); // with the Secret, the server dry run passes
    expect(await kubectl(['get', 'all,jobs', '-n', ns, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name'])).toBe('');
  });

  it('install runs the migration hook first; a failed migration stops an upgrade; uninstall leaves nothing but the CRDs', async () => {
    clusterScoped.push(`clusterrolebinding/${release}-stipend-operator`, `clusterrole/${release}-stipend-operator`, `clusterrole/${release}-stipend-view`, `clusterrole/${release}-stipend-edit`);
    // install: the hook Job exists before any workload, and the release waits for it.
    const install = helmIn(['install', release, chart, '--timeout', '60s']);
    await until('the install hook', unfinishedJob, 30_000, 100);
    expect(await exists(`deployment/${release}-stipend-gateway`)).toBe(false);
    await finishMigration('Complete');
    expect(await install).toContain('STATUS: deployed');
    for (const ref of ['deployment/-stipend-gateway', 'deployment/-stipend-operator', 'service/-stipend-gateway', 'horizontalpodautoscaler/-stipend-gateway', 'poddisruptionbudget/-stipend-gateway', 'cronjob/-stipend-alerts', 'cronjob/-stipend-monthly-report']) {
      expect(await exists(ref.replace('/-', `/${release}-`)), ref).toBe(true);
    }
    expect(await exists(job)).toBe(false); // hook-succeeded: deleted
    expect(await graceOf()).toBe(40);

    // upgrade whose migration fails: the workloads keep the previous release's spec.
    const failing = helmIn(['upgrade', release, chart, '--set', 'gateway.shutdownGraceSeconds=50', '--timeout', '60s']).catch((e: { stderr?: string }) => e.stderr ?? String(e));
    await finishMigration('Failed');
    expect(await failing).toContain(`pre-upgrade hooks failed`);
    expect(await graceOf()).toBe(40);

    expect(await exists(job)).toBe(true); // the failed Job stays for inspection
    // a good upgrade: the failed Job is replaced by a new one, then the rollout.
    const upgrade = helmIn(['upgrade', release, chart, '--set', 'gateway.shutdownGraceSeconds=50', '--timeout', '60s']);
    await finishMigration('Complete');
    expect(await upgrade).toContain('STATUS: deployed');
    expect(await graceOf()).toBe(65);

    await helmIn(['uninstall', release, '--no-hooks', '--wait=false']);
    const left = await kubectl(['get', 'all,serviceaccounts,poddisruptionbudgets,cronjobs,jobs', '-n', ns, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name']);
    expect(left.trim()).toBe('');
    for (const role of ['operator', 'view', 'edit']) expect(await kubectl(['get', `clusterrole/${release}-stipend-${role}`, '--ignore-not-found', '-o', 'name'])).toBe('');
    expect(await kubectl(['get', 'crd/budgets.stipend.dev', '-o', 'name'])).toContain('budgets.stipend.dev'); // Helm never deletes crds/
  });
});
