// The Helm chart: lint, renders, schema, a real API server's verdict, RBAC, and no drift.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kubectl, uniqueNamespace } from '../operator/kube-helpers.ts';
import { chart, find, helm, render } from './helm.ts';

describe('chart renders', () => {
  it('passes helm lint --strict, with every values file', async () => {
    expect(await helm(['lint', '--strict', chart])).toContain('0 chart(s) failed');
    for (const f of ['production.yaml', 'namespaced.yaml', 'minimal.yaml']) {
      expect(await helm(['lint', '--strict', chart, '-f', new URL(`./values/${f}`, import.meta.url).pathname])).toContain('0 chart(s) failed');
    }
  });

  it('default: gateway drains, probes, runs unprivileged with no Kubernetes token; migration is a pre-install hook', async () => {
    const { objects } = await render('stipend', 'stipend');
    const gw = find(objects, 'Deployment', '-gateway')!;
    const pod = gw.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(25 + 5 + 10);
    const c = pod.containers[0];
    expect(c.args).toEqual(['gateway']);
    expect(c.lifecycle.preStop.sleep.seconds).toBe(5);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.startupProbe.httpGet.path).toBe('/readyz');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(c.env.find((e: any) => e.name === 'STIPEND_SHUTDOWN_GRACE_MS').value).toBe('25000');
    expect(c.env.find((e: any) => e.name === 'STIPEND_DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'stipend-database', key: 'url' });
    expect(c.env.find((e: any) => e.name === 'OPENAI_API_KEY').valueFrom.secretKeyRef.optional).toBe(true);
    expect(find(objects, 'ServiceAccount', '-gateway')).toMatchObject({ automountServiceAccountToken: false });
    expect(find(objects, 'HorizontalPodAutoscaler', '-gateway')!.spec.minReplicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', '-gateway')!.spec.minAvailable).toBe(1);
    const job = find(objects, 'Job', '-migrate-1')!;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
    const crons = objects.filter((o) => o.kind === 'CronJob');
    expect(crons.map((c) => [c.spec.schedule, c.spec.concurrencyPolicy, c.spec.jobTemplate.spec.template.spec.containers[0].args])).toEqual([
      ['*/5 * * * *', 'Forbid', ['alerts']],
      ['0 6 1 * *', 'Forbid', ['report', 'monthly']],
    ]);
    expect(crons[0]!.spec.jobTemplate.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'stipend-finance', optional: true } }]);
    expect(objects.some((o) => o.metadata.name.endsWith('-admin'))).toBe(false);
    expect(JSON.stringify(objects)).not.toMatch(/sk-|password/i);
  });

  it('production values: ingress, network policy, service monitor, CronJobs with concurrencyPolicy Forbid', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    expect(find(objects, 'Ingress', '-gateway')!.spec.rules[0].host).toBe('ai.acme.example');
    expect(find(objects, 'NetworkPolicy', '-gateway')!.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'stipend.dev/clients': 'true' });
    expect(find(objects, 'ServiceMonitor', '-gateway')!.spec.endpoints[0].path).toBe('/metrics');
    const crons = objects.filter((o) => o.kind === 'CronJob');
    expect(crons.map((c) => [c.spec.schedule, c.spec.concurrencyPolicy, c.spec.jobTemplate.spec.template.spec.containers[0].args])).toEqual([
      ['*/2 * * * *', 'Forbid', ['alerts']],
      ['0 7 1 * *', 'Forbid', ['report', 'monthly']],
    ]);
    expect(find(objects, 'Deployment', '-gateway')!.spec.template.spec.terminationGracePeriodSeconds).toBe(60 + 5 + 10);
    const admin = find(objects, 'Deployment', '-admin')!.spec.template.spec;
    expect(admin.containers[0].args).toEqual(['admin']);
    expect(admin.automountServiceAccountToken).toBe(false);
    expect(admin.containers[0].envFrom).toEqual([{ secretRef: { name: 'finance-settings' } }]);
  });

  it('namespaced operator: a Role per namespace, no ClusterRole; minimal: gateway only', async () => {
    const { objects } = await render('stipend', 'stipend', ['namespaced.yaml']);
    expect(objects.filter((o) => o.kind === 'Role').map((r) => r.metadata.namespace)).toEqual(['acme', 'acme-labs']);
    expect(objects.some((o) => o.kind === 'ClusterRole')).toBe(false);
    expect(find(objects, 'Deployment', '-operator')!.spec.template.spec.containers[0].args).toEqual(['operator', '--namespaces=acme,acme-labs']);
    const minimal = await render('stipend', 'stipend', ['minimal.yaml']);
    expect(minimal.objects.map((o) => o.kind).sort()).toEqual(['CronJob', 'CronJob', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  it.each([
    [['--set', 'gateway.replicas=two'], "at '/gateway/replicas': got string, want integer"],
    [['--set', 'database.existingSecret='], "at '/database/existingSecret': minLength"],
    [['--set', 'gatway.port=1'], "additional properties 'gatway' not allowed"],
    [['--set', 'gateway.ingress.enabled=true'], "at '/gateway/ingress/host': minLength"],
    [['--set', 'cronJobs.alerts.schedule=often'], "at '/cronJobs/alerts/schedule'"],
    [['--set', 'operator.namespaces[0]=Not_A_Namespace'], "at '/operator/namespaces/0'"],
  ])('the schema rejects bad values: %j', async (args, message) => {
    const error = (await render('x', 'x', [], args).catch((e: unknown) => e)) as { stderr: string };
    expect(error.stderr).toContain(message);
  });
});

describe('chart against the real API server', () => {
  const ns = uniqueNamespace('chart');
  beforeAll(async () => {
    await kubectl(['apply', '-f', `${chart}/crds`]);
    await kubectl(['create', 'namespace', ns]);
    // The namespaced render binds Roles in these; the overlay deploys into `stipend`.
    for (const existing of ['acme', 'acme-labs', 'stipend']) {
      await kubectl(['create', 'namespace', existing]).catch(() => undefined);
    }
  });

  it('every object of the default and production renders is valid (server-side dry run)', async () => {
    for (const values of [[], ['namespaced.yaml']]) {
      const { text } = await render(`dry-${ns}`, ns, values);
      const out = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], text);
      expect(out).toContain('deployment.apps/');
    }
    // ServiceMonitor needs the Prometheus Operator's CRD, absent here: everything else of production.
    const { objects } = await render(`prod-${ns}`, ns, ['production.yaml']);
    const text = objects.filter((o) => o.kind !== 'ServiceMonitor').map((o) => JSON.stringify(o)).join('\n');
    expect(await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], text)).toContain('cronjob.batch/');
  });

  it("RBAC: the operator can do what it needs and nothing else; the gateway's account can do nothing", async () => {
    const release = `rbac-${ns}`;
    const { objects } = await render(release, ns);
    const rbac = objects.filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    await kubectl(['apply', '-n', ns, '-f', '-'], rbac.map((o) => JSON.stringify(o)).join('\n'));
    const can = async (sa: string, ...args: string[]) =>
      (await kubectl(['auth', 'can-i', '--as', `system:serviceaccount:${ns}:${release}-${sa}`, ...args]).catch((e: { stdout?: string }) => e.stdout ?? '')).trim();
    for (const verb of ['list', 'watch', 'get', 'patch']) expect(await can('stipend-operator', verb, 'budgets.stipend.dev', '-A')).toBe('yes');
    expect(await can('stipend-operator', 'patch', 'budgets.stipend.dev', '--subresource=status', '-n', 'acme')).toBe('yes');
    expect(await can('stipend-operator', 'create', 'events', '-n', 'acme')).toBe('yes');
    expect(await can('stipend-operator', 'delete', 'budgets.stipend.dev', '-n', 'acme')).toBe('no');
    expect(await can('stipend-operator', 'create', 'budgets.stipend.dev', '-n', 'acme')).toBe('no');
    expect(await can('stipend-operator', 'get', 'secrets', '-n', ns)).toBe('no');
    expect(await can('stipend-operator', 'list', 'pods', '-A')).toBe('no');
    expect(await can('stipend-operator', 'create', 'leases.coordination.k8s.io', '-n', ns)).toBe('no');
    for (const args of [['get', 'budgets.stipend.dev', '-A'], ['list', 'pods', '-n', ns], ['get', 'secrets', '-n', ns], ['create', 'events', '-n', ns]]) {
      expect(await can('stipend-gateway', ...args)).toBe('no');
    }
  });
});

describe('no drift', () => {
  it("the chart's CRDs are identical to crds/", () => {
    const dir = new URL('../../crds', import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(readdirSync(`${chart}/crds`).sort()).toEqual(files.sort());
    for (const f of files) expect(readFileSync(`${chart}/crds/${f}`, 'utf8'), f).toBe(readFileSync(`${dir}/${f}`, 'utf8'));
  });

  it('manifests/base equals the chart default render (npm run manifests)', async () => {
    const committed = readFileSync(new URL('../../manifests/base/stipend.yaml', import.meta.url), 'utf8').split('\n').slice(1).join('\n');
    expect(committed).toBe(await helm(['template', 'stipend', chart, '--namespace', 'stipend', '--include-crds']));
  });

  it('the kustomize overlay builds and the API server accepts it', async () => {
    const built = await kubectl(['kustomize', new URL('../../manifests/overlays/example', import.meta.url).pathname]);
    expect(built).toContain('kind: Namespace');
    const out = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], built);
    expect(out).toContain('deployment.apps/stipend-operator');
  });
});
