// The Helm chart rendered offline: lint, the default and realistic values files, the promises
// every pod keeps, and a schema that refuses bad values with a message naming the value.
import type { GroupCommand } from '../../src/cli/command.ts';
import { STIPEND } from '../../src/cli/commands/index.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { hrisEnvSchema } from '../../src/config/hris-config.schema.ts';
import { ROLE_CONFIG } from '../../src/config/roles.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { readUpstreamsFile } from '../../src/gateway/upstreams/load-upstreams.ts';
import { loadCatalogOverrides } from '../../src/pricing/catalog.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { chart, envOf, find, get, helm, notesOf, notesPolicy, podSpecOf, render, renderError, valuesDir, valuesFiles, type K8sObject } from './helm.ts';

const root = new URL('../../', import.meta.url).pathname;
/** The CLI's subcommands, read from the one wiring place. */
const cliCommands = (STIPEND as GroupCommand).subcommands.map((c) => c.name);
/** Every environment variable name the sources mention (tests aside). */
const knownEnv = new Set(
  readdirSync(`${root}src`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => [...readFileSync(`${root}src/${f}`, 'utf8').matchAll(/\b(?:STIPEND_[A-Z0-9_]+|[A-Z]+_API_KEY|[A-Z]+_BASE_URL|LOG_LEVEL)\b/g)].map((m) => m[0])),
);
/** The variables a command's config schema reads (src/config/roles.ts), with those every command reads. */
const envOfCommand = (command: string) => new Set([...Object.keys(ROLE_CONFIG[command]?.shape ?? {}), ...Object.keys(ROLE_CONFIG['*']!.shape)]);
/** The finance roles share one block of variables in the chart (stipend.financeEnv): each reads its part. */
const FINANCE_ROLES = ['admin', 'alerts', 'report'];
const envOfContainer = (command: string) =>
  FINANCE_ROLES.includes(command) ? new Set(FINANCE_ROLES.flatMap((r) => [...envOfCommand(r)])) : envOfCommand(command);

describe('helm lint', () => {
  it('passes --strict with the defaults and with every values file', async () => {
    expect(valuesFiles).toEqual(['cloudnativepg.yaml', 'minimal.yaml', 'namespaced.yaml', 'production.yaml']);
    expect(await helm(['lint', '--strict', chart])).toContain('1 chart(s) linted, 0 chart(s) failed');
    for (const f of valuesFiles) {
      expect(await helm(['lint', '--strict', chart, '-f', join(valuesDir, f)]), f).toContain('1 chart(s) linted, 0 chart(s) failed');
    }
  });
});

describe('default render', async () => {
  const { objects } = await render('stipend', 'stipend');

  it('has exactly the default objects', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/stipend-edit',
      'ClusterRole/stipend-operator',
      'ClusterRole/stipend-view',
      'ClusterRoleBinding/stipend-operator',
      'CronJob/stipend-alerts',
      'CronJob/stipend-monthly-report',
      'Deployment/stipend-gateway',
      'Deployment/stipend-operator',
      'HorizontalPodAutoscaler/stipend-gateway',
      'Job/stipend-migrate',
      'PodDisruptionBudget/stipend-gateway',
      'Service/stipend-gateway',
      'ServiceAccount/stipend-gateway',
      'ServiceAccount/stipend-operator',
    ]);
  });

  it('gateway: no Kubernetes token, probes, drain longer than the shutdown grace plus the preStop pause', () => {
    const pod = podSpecOf(get(objects, 'Deployment', '-gateway'));
    expect(pod.serviceAccountName).toBe('stipend-gateway');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(get(objects, 'ServiceAccount', '-gateway').automountServiceAccountToken).toBe(false);
    const c = pod.containers[0];
    expect(c.image).toBe('ghcr.io/stipend-dev/stipend:0.1.0');
    expect(c.args).toEqual(['gateway']);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8787, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9091, protocol: 'TCP' },
    ]);
    expect(c.startupProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.lifecycle.preStop).toEqual({ sleep: { seconds: 5 } });
    const env = envOf(c);
    expect(env.get('STIPEND_SHUTDOWN_GRACE_MS')!.value).toBe('25000');
    expect(pod.terminationGracePeriodSeconds).toBe(5 + 25 + 10);
    expect(env.get('STIPEND_PORT')!.value).toBe('8787');
    expect(env.get('STIPEND_METRICS_PORT')!.value).toBe('9091');
    expect(env.get('STIPEND_MAX_IN_FLIGHT')!.value).toBe('2000');
    expect(env.get('STIPEND_UPSTREAM_CONNECTIONS')!.value).toBe('0');
    expect(env.get('STIPEND_UPSTREAM_HTTP2')!.value).toBe('false');
    expect(get(objects, 'Deployment', '-gateway').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9091',
      'prometheus.io/path': '/metrics',
    });
    expect(env.get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-database', key: 'url' });
    for (const key of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY']) {
      expect(env.get(key)!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-providers', key, optional: true });
    }
    expect(env.has('STIPEND_PRICING_FILE')).toBe(false);
    expect(c.resources.requests).toEqual({ cpu: '250m', memory: '384Mi' });
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
    expect(get(objects, 'Deployment', '-gateway').spec.replicas).toBeUndefined(); // the HPA owns it
    expect(get(objects, 'Deployment', '-gateway').spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });

  it('gateway: Service, autoscaling/v2 HPA on CPU and a PDB select the gateway pods', () => {
    const labels = get(objects, 'Deployment', '-gateway').spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(selects(get(objects, 'Service', '-gateway').spec.selector)).toBe(true);
    // The metrics port (spend counters) is not behind the Service clients use.
    expect(get(objects, 'Service', '-gateway').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(selects(get(objects, 'PodDisruptionBudget', '-gateway').spec.selector.matchLabels)).toBe(true);
    const hpa = get(objects, 'HorizontalPodAutoscaler', '-gateway');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'stipend-gateway' }, minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } });
    expect(get(objects, 'PodDisruptionBudget', '-gateway').spec.minAvailable).toBe(1);
    // Selectors must survive upgrades: no version in them.
    expect(Object.keys(get(objects, 'Deployment', '-gateway').spec.selector.matchLabels).sort()).toEqual([
      'app.kubernetes.io/component',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/name',
    ]);
  });

  it('operator: leader-elected replicas with its own ServiceAccount and token', () => {
    const op = get(objects, 'Deployment', '-operator');
    expect(op.spec.replicas).toBe(2);
    const pod = podSpecOf(op);
    expect(pod.serviceAccountName).toBe('stipend-operator');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].args).toEqual(['operator']);
    expect(objects.some((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toBe(false);
    expect(get(objects, 'ClusterRoleBinding', '-operator').subjects).toEqual([{ kind: 'ServiceAccount', name: 'stipend-operator', namespace: 'stipend' }]);
  });

  it('operator RBAC: exactly the verbs the operator uses, no Leases, nothing on Secrets or Pods', () => {
    expect(get(objects, 'ClusterRole', '-operator').rules).toEqual([
      { apiGroups: ['stipend.dev'], resources: ['teams', 'budgets', 'modelpolicies'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: ['stipend.dev'], resources: ['teams/status', 'budgets/status', 'modelpolicies/status'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    // The operator elects its leader with a Postgres advisory lock, not a Lease.
    expect(readFileSync(`${root}src/operator/leader-election.ts`, 'utf8')).toContain('pg_try_advisory_lock');
    expect(readFileSync(`${root}src/operator/kube-api.ts`, 'utf8')).not.toMatch(/replaceNamespaced|CoordinationV1Api/);
  });

  it('people get Teams, Budgets and ModelPolicies through the built-in view/edit/admin roles (aggregation labels); status stays the operator\'s', () => {
    const view = get(objects, 'ClusterRole', '-view');
    expect(view.metadata.labels!['rbac.authorization.k8s.io/aggregate-to-view']).toBe('true');
    expect(view.rules).toEqual([
      { apiGroups: ['stipend.dev'], resources: ['teams', 'budgets', 'modelpolicies', 'teams/status', 'budgets/status', 'modelpolicies/status'], verbs: ['get', 'list', 'watch'] },
    ]);
    const edit = get(objects, 'ClusterRole', '-edit');
    expect(edit.metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
    expect(edit.rules).toEqual([{ apiGroups: ['stipend.dev'], resources: ['teams', 'budgets', 'modelpolicies'], verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'] }]);
  });

  it('rbac.aggregatedRoles=false leaves the built-in roles alone', async () => {
    const { objects: without } = await render('stipend', 'stipend', [], ['--set', 'rbac.aggregatedRoles=false']);
    expect(without.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual(['stipend-operator']);
  });

  it('migration: a pre-install/pre-upgrade hook Job running `stipend migrate`', () => {
    const job = get(objects, 'Job', '-migrate');
    expect(job.metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '0',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const pod = podSpecOf(job);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].args).toEqual(['migrate']);
    // The owner migrates; the services' URL names the runtime role it creates and grants.
    expect(envOf(pod.containers[0]).get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-database-owner', key: 'url' });
    expect(envOf(pod.containers[0]).get('STIPEND_RUNTIME_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-database', key: 'url' });
  });

  it('database roles: only the migration Job sees the owner\'s Secret; every other pod connects as the runtime role', () => {
    for (const o of objects.filter((x) => podSpecOf(x) && x.kind !== 'Job')) {
      const refs = podSpecOf(o).containers.flatMap((c: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name));
      expect(refs, `${o.kind}/${o.metadata.name}`).toContain('stipend-database');
      expect(refs, `${o.kind}/${o.metadata.name}`).not.toContain('stipend-database-owner');
    }
  });

  it('CronJobs: alerts and the monthly report, Forbid, bounded, in the finance time zone', () => {
    const crons = objects.filter((o) => o.kind === 'CronJob');
    expect(crons.map((c) => [c.metadata.name, c.spec.schedule, c.spec.timeZone, c.spec.concurrencyPolicy, c.spec.jobTemplate.spec.activeDeadlineSeconds, podSpecOf(c).containers[0].args])).toEqual([
      ['stipend-alerts', '*/5 * * * *', 'UTC', 'Forbid', 600, ['alerts']],
      ['stipend-monthly-report', '0 6 2 * *', 'UTC', 'Forbid', 3600, ['report', 'monthly']],
    ]);
    const c = podSpecOf(crons[1]!).containers[0];
    expect(c.envFrom).toEqual([{ secretRef: { name: 'stipend-finance', optional: true } }]);
    expect(envOf(c).get('STIPEND_REPORT_TIME_ZONE')!.value).toBe('UTC');
    // Unset: FOCUS and every ERP the GL mapping declares (none by default: journals refuse until mapped).
    expect(envOf(c).has('STIPEND_REPORT_EXPORT_FORMATS')).toBe(false);
    expect(envOf(c).has('STIPEND_GL_MAPPING_FILE')).toBe(false);
    expect(envOf(c).get('STIPEND_CLOSE_GRACE_MS')!.value).toBe('86400000');
  });

  it('carries nothing secret, and NOTES tell how to get a key and make a first call', async () => {
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(JSON.stringify(objects)).not.toMatch(/sk-|password|postgres:\/\//i);
    const notes = await notesOf();
    expect(notes).toContain('kubectl -n stipend exec deploy/stipend-gateway -- stipend keys create --email you@corp.example');
    expect(notes).toContain('kubectl -n stipend port-forward svc/stipend-gateway 8787:80');
    expect(notes).toContain('curl $BASE/v1/chat/completions -H "Authorization: Bearer $KEY"');
    expect(notes).toContain("create secret generic stipend-database \\\n       --from-literal=url='postgres://stipend_app:PASSWORD@HOST:5432/stipend'");
    expect(notes).toContain("create secret generic stipend-database-owner \\\n       --from-literal=url='postgres://OWNER:PASSWORD@HOST:5432/stipend'");
    expect(notes).toContain('`helm install` refuses to start without the\n   database Secrets: the services\' runtime role (stipend-database, key url;');
  });

  it("NOTES need nothing but the chart: no repository paths; the policy example is inline, valid, and gives the key's owner a model", async () => {
    const notes = await notesOf();
    expect(notes).not.toMatch(/(^|\s)(examples|docs|crds|charts)\//m);
    const snippet = notesPolicy(notes);
    const resources = parseResources(snippet, 'NOTES.txt'); // what `stipend dev` and the operator accept
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual(['Team/engineering', 'Budget/engineering-monthly', 'ModelPolicy/engineering-models']);
    const team = resources[0]!;
    expect(team.kind === 'Team' && team.spec.members.map((m) => m.email)).toEqual(['you@corp.example']); // the person step 3 makes a key for
    const policy = resources[2]!;
    expect(policy.kind === 'ModelPolicy' && policy.spec.allow).toContain('openai/*'); // step 4 calls gpt-4o-mini
  });
});

describe('every render, every pod', async () => {
  const renders: [string, K8sObject[]][] = [['default', (await render('stipend', 'stipend')).objects]];
  for (const f of valuesFiles) renders.push([f, (await render('stipend', 'stipend', [f])).objects]);

  it('runs unprivileged: non-root uid 10001, read-only root, no capabilities, RuntimeDefault seccomp, a scratch /tmp', () => {
    for (const [name, objects] of renders) {
      for (const o of objects.filter(podSpecOf)) {
        const pod = podSpecOf(o);
        const where = `${name}: ${o.kind}/${o.metadata.name}`;
        expect(pod.securityContext, where).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.volumes, where).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
        for (const c of pod.containers) {
          expect(c.securityContext, where).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
          expect(c.volumeMounts, where).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
          expect(c.resources.requests.memory, where).toBeDefined();
          expect(c.resources.limits.memory, where).toBeDefined();
        }
      }
    }
  });

  it('only the operator gets a Kubernetes token; every role is a real CLI command; every variable is one Stipend reads', () => {
    expect(cliCommands).toEqual(expect.arrayContaining(['gateway', 'operator', 'migrate', 'alerts', 'report', 'admin', 'keys']));
    for (const [name, objects] of renders) {
      for (const o of objects.filter(podSpecOf)) {
        const pod = podSpecOf(o);
        const where = `${name}: ${o.kind}/${o.metadata.name}`;
        expect(pod.automountServiceAccountToken, where).toBe(o.metadata.name.endsWith('-operator'));
        const c = pod.containers[0];
        expect(cliCommands, where).toContain(c.args[0]);
        for (const e of c.env) {
          expect(knownEnv.has(e.name), `${where}: ${e.name} is read nowhere in src/`).toBe(true);
          expect(envOfContainer(c.args[0]).has(e.name), `${where}: ${e.name} is not in the ${c.args[0]} config schema`).toBe(true);
          // Credentials only ever come from Secrets.
          if (/URL$|KEY$|TOKENS?$/.test(e.name) && !/BASE_URL$|DASHBOARD_URL$/.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${where}: ${e.name}`).toBeDefined();
        }
      }
    }
  });

  it('the gateway pod outlives its drain: terminationGracePeriodSeconds > preStop pause + STIPEND_SHUTDOWN_GRACE_MS', () => {
    for (const [name, objects] of renders) {
      const pod = podSpecOf(get(objects, 'Deployment', '-gateway'));
      const grace = Number(envOf(pod.containers[0]).get('STIPEND_SHUTDOWN_GRACE_MS')!.value) / 1000;
      const pause = pod.containers[0].lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThan(pause + grace);
    }
  });
});

describe('realistic values files', () => {
  it('production: pinned digest, Azure OpenAI, TLS ingress for streams, network policies, ServiceMonitor, admin, finance', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const gw = podSpecOf(get(objects, 'Deployment', '-gateway'));
    expect(gw.containers[0].image).toBe('registry.acme.example/stipend@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
    expect(gw.imagePullSecrets).toEqual([{ name: 'acme-registry' }]);
    expect(gw.priorityClassName).toBe('business-critical');
    expect(gw.terminationGracePeriodSeconds).toBe(5 + 60 + 10);
    const env = envOf(gw.containers[0]);
    expect(env.get('OPENAI_BASE_URL')!.value).toBe('https://acme-openai.openai.azure.com/openai/v1');
    expect(env.get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-pg-app', key: 'uri' });
    expect(env.get('STIPEND_DATABASE_POOL')!.value).toBe('10');
    expect(env.get('STIPEND_UPSTREAM_BODY_TIMEOUT_MS')!.value).toBe('600000');
    expect(env.get('OPENAI_API_KEY')!.valueFrom!.secretKeyRef!.name).toBe('llm-keys');

    const ingress = get(objects, 'Ingress', '-gateway');
    expect(ingress.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ hosts: ['ai.acme.example'], secretName: 'ai-acme-example-tls' }] });
    expect(ingress.spec.rules[0]).toEqual({ host: 'ai.acme.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'stipend-gateway', port: { name: 'http' } } } }] } });
    expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');

    const gatewayPolicy = get(objects, 'NetworkPolicy', '-gateway');
    expect(gatewayPolicy.spec.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [
          { namespaceSelector: { matchLabels: { 'stipend.dev/clients': 'true' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
        ],
      },
      // Prometheus reaches the metrics port, and only it.
      { ports: [{ port: 'metrics', protocol: 'TCP' }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
    ]);
    expect(get(objects, 'NetworkPolicy', '-admin').spec.ingress).toHaveLength(1);
    expect(ingress.spec.rules[0].http.paths.map((p: any) => p.backend.service.port)).toEqual([{ name: 'http' }]);

    const hpa = get(objects, 'HorizontalPodAutoscaler', '-gateway');
    expect(hpa.spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'stipend_in_flight_requests' }, target: { type: 'AverageValue', averageValue: '400' } } }]);
    expect(env.get('STIPEND_MAX_IN_FLIGHT')!.value).toBe('1500');
    expect(get(objects, 'NetworkPolicy', '-admin').spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('admin');
    expect(get(objects, 'NetworkPolicy', '-no-ingress').spec).toMatchObject({ policyTypes: ['Ingress'] });
    expect(get(objects, 'NetworkPolicy', '-no-ingress').spec.ingress).toBeUndefined();

    const monitor = get(objects, 'ServiceMonitor', '-gateway');
    expect(monitor.metadata.labels!.release).toBe('prometheus');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    // It selects the headless metrics Service, not the one clients use.
    const metricsService = get(objects, 'Service', '-gateway-metrics');
    expect(Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => metricsService.metadata.labels![k] === v)).toBe(true);
    expect(Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => get(objects, 'Service', '-gateway').metadata.labels![k] === v)).toBe(false);
    expect(metricsService.spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'metrics', port: 9091, targetPort: 'metrics', protocol: 'TCP' }] });

    const crons = objects.filter((o) => o.kind === 'CronJob');
    expect(crons.map((c) => [c.metadata.name, c.spec.schedule, c.spec.timeZone, c.spec.concurrencyPolicy])).toEqual([
      ['stipend-audit-checkpoint', '15 * * * *', 'UTC', 'Forbid'],
      ['stipend-alerts', '*/2 * * * *', 'America/New_York', 'Forbid'],
      ['stipend-monthly-report', '0 7 1 * *', 'America/New_York', 'Forbid'],
      ['stipend-hris-sync', '*/20 * * * *', 'UTC', 'Forbid'],
    ]);
    crons.shift();
    const monthly = envOf(podSpecOf(crons[1]!).containers[0]);
    expect(monthly.get('STIPEND_REPORT_EMAIL_TO')!.value).toBe('finance@acme.example,controller@acme.example');
    expect(monthly.get('STIPEND_REPORT_EXPORT_FORMATS')!.value).toBe('netsuite,workday,focus');
    expect(monthly.get('STIPEND_MAIL_FROM')!.value).toBe('Stipend <stipend@acme.example>');

    const admin = podSpecOf(get(objects, 'Deployment', '-admin'));
    expect(admin.automountServiceAccountToken).toBe(false);
    expect(admin.containers[0].args).toEqual(['admin']);
    expect(admin.containers[0].envFrom).toEqual([{ secretRef: { name: 'finance-settings' } }]);
    expect(admin.containers[0].readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(get(objects, 'Service', '-admin').spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  it('production: the GL mapping ConfigMap is a file the reports accept, mounted where STIPEND_GL_MAPPING_FILE points', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const file = get(objects, 'ConfigMap', '-gl-mapping').data!['gl-mapping.yaml']!;
    for (const o of [get(objects, 'CronJob', '-monthly-report'), get(objects, 'Deployment', '-admin')]) {
      const pod = podSpecOf(o);
      const env = envOf(pod.containers[0]);
      expect(env.get('STIPEND_GL_MAPPING_FILE')!.value).toBe('/etc/stipend/gl-mapping/gl-mapping.yaml');
      expect(env.get('STIPEND_CLOSE_GRACE_MS')!.value).toBe('172800000');
      expect(env.get('STIPEND_PRICING_FILE')!.value).toBe('/etc/stipend/pricing/pricing.yaml'); // FOCUS list prices = the gateway's
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'gl-mapping', mountPath: '/etc/stipend/gl-mapping', readOnly: true });
      expect(pod.volumes).toContainEqual({ name: 'gl-mapping', configMap: { name: 'stipend-gl-mapping' } });
    }
    expect(podSpecOf(get(objects, 'Deployment', '-admin')) && get(objects, 'Deployment', '-admin').spec.template.metadata.annotations['checksum/gl-mapping']).toMatch(/^[0-9a-f]{64}$/);
    const dir = mkdtempSync(join(tmpdir(), 'stipend-gl-'));
    try {
      writeFileSync(join(dir, 'gl-mapping.yaml'), file);
      const mapping = loadGlMapping(join(dir, 'gl-mapping.yaml'));
      expect(Object.keys(mapping).filter((k) => k !== 'vendors' && k !== 'invoicedBy').sort()).toEqual(['netsuite', 'workday']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('production: the pricing ConfigMap is a file the gateway accepts, and a price change rolls the gateway', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const file = get(objects, 'ConfigMap', '-pricing').data!['pricing.yaml']!;
    const gw = podSpecOf(get(objects, 'Deployment', '-gateway'));
    expect(envOf(gw.containers[0]).get('STIPEND_PRICING_FILE')!.value).toBe('/etc/stipend/pricing/pricing.yaml');
    expect(gw.containers[0].volumeMounts).toContainEqual({ name: 'pricing', mountPath: '/etc/stipend/pricing', readOnly: true });
    expect(gw.volumes).toContainEqual({ name: 'pricing', configMap: { name: 'stipend-pricing' } });
    const dir = mkdtempSync(join(tmpdir(), 'stipend-pricing-'));
    try {
      writeFileSync(join(dir, 'pricing.yaml'), file);
      const entries = loadCatalogOverrides(join(dir, 'pricing.yaml'));
      expect(entries.map((e) => [e.provider, e.model, e.input])).toEqual([
        ['openai', 'gpt-4o-mini', 100_000_000n],
        ['openai', 'text-embedding-ada-002', 100_000_000n],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const checksum = (objs: K8sObject[]) => get(objs, 'Deployment', '-gateway').spec.template.metadata.annotations['checksum/pricing'];
    const cheaper = await render('stipend', 'stipend', ['production.yaml'], ['--set', 'pricing.models[0].output=0.30']);
    expect(checksum(objects)).toMatch(/^[a-f0-9]{64}$/);
    expect(checksum(cheaper.objects)).not.toBe(checksum(objects));
  });

  it('production: the upstreams ConfigMap is a file the gateway accepts; credentials are a whole-Secret mount it re-reads; a route change rolls the gateway', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const file = get(objects, 'ConfigMap', '-upstreams').data!['upstreams.yaml']!;
    expect(file).not.toMatch(/secretAccessKey: [^{]/); // references only
    const gw = podSpecOf(get(objects, 'Deployment', '-gateway'));
    const env = envOf(gw.containers[0]);
    expect(env.get('STIPEND_UPSTREAMS_FILE')!.value).toBe('/etc/stipend/upstreams/upstreams.yaml');
    expect(env.get('STIPEND_UPSTREAM_SECRETS_DIR')!.value).toBe('/var/run/secrets/stipend/upstreams');
    expect(env.get('STIPEND_UPSTREAM_SECRETS_REFRESH_MS')!.value).toBe('30000');
    expect(gw.containers[0].volumeMounts).toContainEqual({ name: 'upstream-credentials', mountPath: '/var/run/secrets/stipend/upstreams', readOnly: true });
    expect(gw.containers[0].volumeMounts.every((m: { subPath?: string }) => m.subPath === undefined)).toBe(true);
    expect(gw.volumes).toContainEqual({ name: 'upstream-credentials', secret: { secretName: 'cloud-llm-credentials', defaultMode: 0o440 } });
    const dir = mkdtempSync(join(tmpdir(), 'stipend-upstreams-'));
    try {
      writeFileSync(join(dir, 'upstreams.yaml'), file);
      const parsed = readUpstreamsFile(join(dir, 'upstreams.yaml'));
      expect(parsed.upstreams.map((u) => [u.kind, u.name])).toEqual([['bedrock', 'bedrock-us-east-1'], ['vertex-ai', 'vertex-europe']]);
      expect(parsed.routes.map((r) => r.upstream)).toEqual(['bedrock-us-east-1', 'vertex-europe']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const checksum = (objs: K8sObject[]) => get(objs, 'Deployment', '-gateway').spec.template.metadata.annotations['checksum/upstreams'];
    const rerouted = await render('stipend', 'stipend', ['production.yaml'], ['--set', 'upstreams.routes[1].upstream=bedrock-us-east-1']);
    expect(checksum(objects)).toMatch(/^[a-f0-9]{64}$/);
    expect(checksum(rerouted.objects)).not.toBe(checksum(objects));
  });

  it('cloudnativepg: the app user (the owner) for migrations, the runtime role for services, month-end in Berlin', async () => {
    const { objects } = await render('stipend', 'stipend', ['cloudnativepg.yaml']);
    const url = (o: K8sObject, name = 'STIPEND_DATABASE_URL') => envOf(podSpecOf(o).containers[0]).get(name)!.valueFrom!.secretKeyRef;
    expect(url(get(objects, 'Job', '-migrate'))).toEqual({ name: 'stipend-db-app', key: 'uri' });
    expect(url(get(objects, 'Job', '-migrate'), 'STIPEND_RUNTIME_DATABASE_URL')).toEqual({ name: 'stipend-db-runtime', key: 'uri' });
    for (const o of objects.filter((x) => podSpecOf(x) && x.kind !== 'Job')) expect(url(o)).toEqual({ name: 'stipend-db-runtime', key: 'uri' });
    expect(objects.filter((o) => o.kind === 'CronJob').map((c) => [c.metadata.name, c.spec.schedule, c.spec.timeZone])).toEqual([['stipend-monthly-report', '30 2 1 * *', 'Europe/Berlin']]);
    expect(podSpecOf(get(objects, 'Deployment', '-gateway')).topologySpreadConstraints).toBeUndefined();
  });

  it('namespaced: a Role and RoleBinding per watched namespace, no ClusterRole; one gateway, no HPA or PDB', async () => {
    const { objects } = await render('stipend', 'stipend', ['namespaced.yaml']);
    expect(objects.filter((o) => o.kind === 'Role').map((r) => r.metadata.namespace)).toEqual(['acme', 'acme-labs']);
    expect(objects.filter((o) => o.kind === 'RoleBinding').map((r) => [r.metadata.namespace, r.subjects[0].namespace])).toEqual([
      ['acme', 'stipend'],
      ['acme-labs', 'stipend'],
    ]);
    // Only the roles for people (aggregated into view/edit); nothing cluster-wide for the operator.
    expect(objects.filter((o) => o.kind.startsWith('ClusterRole')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/stipend-view', 'ClusterRole/stipend-edit']);
    expect(podSpecOf(get(objects, 'Deployment', '-operator')).containers[0].args).toEqual(['operator', '--namespaces=acme,acme-labs']);
    expect(get(objects, 'Deployment', '-gateway').spec.replicas).toBe(1);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('minimal: the gateway and the CronJobs only (policy and migrations handled elsewhere)', async () => {
    const { objects } = await render('stipend', 'stipend', ['minimal.yaml']);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRole', 'CronJob', 'CronJob', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(find(objects, 'Deployment', '-operator')).toBeUndefined();
  });

  it('audit checkpoints: a CronJob signing the chain head as the runtime role, the private key a read-only file only it mounts', async () => {
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const cron = get(objects, 'CronJob', '-audit-checkpoint');
    const pod = podSpecOf(cron);
    const c = pod.containers[0];
    expect(c.args).toEqual(['audit', 'checkpoint', '--store']);
    expect(envOf(c).get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-pg-app', key: 'uri' });
    expect(envOf(c).get('STIPEND_AUDIT_SIGNING_KEY_FILE')!.value).toBe('/var/run/stipend-audit/ed25519.pem');
    expect(c.volumeMounts).toContainEqual({ name: 'signing-key', mountPath: '/var/run/stipend-audit', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'signing-key', secret: { secretName: 'ledger-signing-key', defaultMode: 0o400, items: [{ key: 'ed25519.pem', path: 'ed25519.pem' }] } });
    const mountsKey = (o: K8sObject) => JSON.stringify(podSpecOf(o)?.volumes ?? []).includes('ledger-signing-key');
    expect(objects.filter(mountsKey).map((o) => o.metadata.name)).toEqual(['stipend-audit-checkpoint']);
    expect(get(objects, 'NetworkPolicy', '-no-ingress').spec.podSelector.matchExpressions[1].values).toContain('audit-checkpoint');
    // The migration Job of this file: owner and runtime Secrets.
    const migrate = envOf(podSpecOf(get(objects, 'Job', '-migrate')).containers[0]);
    expect(migrate.get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-pg-owner', key: 'uri' });
    expect(migrate.get('STIPEND_RUNTIME_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-pg-app', key: 'uri' });
  });

  it('BambooHR sync: off by default; on, `hris sync bamboohr` as the runtime role, the API key a read-only file only it mounts, no restarts, no ingress', async () => {
    expect(find((await render('stipend', 'stipend')).objects, 'CronJob', '-hris-sync')).toBeUndefined();
    const { objects } = await render('stipend', 'stipend', ['production.yaml']);
    const cron = get(objects, 'CronJob', '-hris-sync');
    expect(cron.spec).toMatchObject({ schedule: '*/20 * * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 1800 } } });
    const pod = podSpecOf(cron);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    const c = pod.containers[0];
    expect(c.args).toEqual(['hris', 'sync', 'bamboohr', '--from', 'report', '--max-leavers', '20%']);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } }); // 5,000 employees peak at 260 MiB
    const env = envOf(c);
    expect(env.get('STIPEND_DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'stipend-pg-app', key: 'uri' });
    expect(Object.fromEntries([...env].filter(([k]) => k.startsWith('STIPEND_BAMBOOHR_')).map(([k, v]) => [k, v.value]))).toEqual({
      STIPEND_BAMBOOHR_SUBDOMAIN: 'acme',
      STIPEND_BAMBOOHR_API_KEY_FILE: '/var/run/stipend-bamboohr/key',
      STIPEND_BAMBOOHR_JOB_LEVEL_FIELD: '4047',
      STIPEND_BAMBOOHR_JOB_LEVEL_MAP: '{"Engineer":2,"Senior Engineer":4,"Staff Engineer":6}',
      STIPEND_BAMBOOHR_COST_CENTER_FIELD: 'customCostCenter',
    });
    // What the chart sets is what the command accepts.
    expect(hrisEnvSchema.safeParse({ ...Object.fromEntries([...env].map(([k, v]) => [k, v.value ?? 'postgres://x'])) }).success).toBe(true);
    expect(c.volumeMounts).toContainEqual({ name: 'bamboohr-api-key', mountPath: '/var/run/stipend-bamboohr', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'bamboohr-api-key', secret: { secretName: 'bamboohr-api', defaultMode: 0o400, items: [{ key: 'key', path: 'key' }] } });
    const mountsKey = (o: K8sObject) => JSON.stringify(podSpecOf(o)?.volumes ?? []).includes('bamboohr-api');
    expect(objects.filter(mountsKey).map((o) => o.metadata.name)).toEqual(['stipend-hris-sync']);
    expect(get(objects, 'NetworkPolicy', '-no-ingress').spec.podSelector.matchExpressions[1].values).toContain('hris-sync');
    const dry = await render('stipend', 'stipend', ['production.yaml'], ['--set', 'cronJobs.hrisSync.dryRun=true', '--set', 'cronJobs.hrisSync.from=directory', '--set', 'cronJobs.hrisSync.maxLeavers=50']);
    expect(podSpecOf(get(dry.objects, 'CronJob', '-hris-sync')).containers[0].args).toEqual(['hris', 'sync', 'bamboohr', '--from', 'directory', '--max-leavers', '50', '--dry-run']);
  });

  it('autoscaling on requests in flight with KEDA: a ScaledObject reading Prometheus, and no HPA of the chart', async () => {
    const { objects } = await render('stipend', 'stipend', [], [
      '--set', 'gateway.autoscaling.keda.enabled=true',
      '--set', 'gateway.autoscaling.keda.prometheusServerAddress=http://prometheus-operated.monitoring.svc:9090',
      '--set', 'gateway.autoscaling.targetInFlightPerReplica=300',
    ]);
    expect(find(objects, 'HorizontalPodAutoscaler', '-gateway')).toBeUndefined();
    const scaled = get(objects, 'ScaledObject', '-gateway');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'stipend-gateway' },
      minReplicaCount: 2,
      maxReplicaCount: 10,
      triggers: [
        {
          type: 'prometheus',
          metricType: 'AverageValue',
          metadata: {
            serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
            query: 'sum(stipend_in_flight_requests{namespace="stipend", pod=~"stipend-gateway-.*"})',
            threshold: '300',
          },
        },
      ],
    });
    expect(get(objects, 'Deployment', '-gateway').spec.replicas).toBeUndefined(); // KEDA's HPA owns it
  });

  it('an image tag in values wins over the appVersion', async () => {
    const { objects } = await render('stipend', 'stipend', [], ['--set', 'image.tag=0.2.0-rc.1']);
    expect(new Set(objects.filter(podSpecOf).map((o) => podSpecOf(o).containers[0].image))).toEqual(new Set(['ghcr.io/stipend-dev/stipend:0.2.0-rc.1']));
  });
});

describe('bad values are refused with a message naming the value', () => {
  it.each([
    [['--set', 'gateway.replicas=two'], "at '/gateway/replicas': got string, want integer"],
    [['--set', 'gatway.port=1'], "additional properties 'gatway' not allowed"],
    [['--set', 'database.existingSecret='], "at '/database/existingSecret': minLength: got 0, want 1"],
    [['--set', 'database.existingSecret=Stipend_DB'], "at '/database/existingSecret': 'Stipend_DB' does not match pattern"],
    [['--set', 'migrations.existingSecret='], "at '/migrations/existingSecret': minLength: got 0, want 1"],
    [['--set', 'cronJobs.auditCheckpoint.signingKeyKey=a/b'], "at '/cronJobs/auditCheckpoint/signingKeyKey': 'a/b' does not match pattern"],
    [['--set', 'gateway.port=80'], "at '/gateway/port': minimum: got 80, want 1,024"],
    [['--set', 'gateway.autoscaling.metric=memory'], "at '/gateway/autoscaling/metric': value must be one of 'cpu', 'inFlight'"],
    [['--set', 'gateway.logLevel=verbose'], "at '/gateway/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'"],
    [['--set', 'gateway.shutdownGraceSeconds=0'], "at '/gateway/shutdownGraceSeconds': minimum: got 0, want 1"],
    [['--set', 'cronJobs.alerts.schedule=often'], "at '/cronJobs/alerts/schedule': 'often' does not match pattern"],
    [['--set', 'cronJobs.hrisSync.bamboohr.subdomain=acme.bamboohr.com'], "at '/cronJobs/hrisSync/bamboohr/subdomain': 'acme.bamboohr.com' does not match pattern"],
    [['--set', 'cronJobs.hrisSync.maxLeavers=150%'], "at '/cronJobs/hrisSync/maxLeavers': '150%' does not match pattern"],
    [['--set', 'cronJobs.hrisSync.from=csv'], "at '/cronJobs/hrisSync/from': value must be one of 'report', 'directory'"],
    [['--set', 'cronJobs.hrisSync.bamboohr.jobLevelMap.Engineer=two'], "at '/cronJobs/hrisSync/bamboohr/jobLevelMap/Engineer': got string, want integer"],
    [['--set', 'operator.namespaces[0]=Not_A_Namespace'], "at '/operator/namespaces/0': 'Not_A_Namespace' does not match pattern"],
    [['--set', 'providers.openaiBaseUrl=api.openai.com'], "at '/providers/openaiBaseUrl': 'api.openai.com' does not match pattern"],
    [['--set', 'finance.exportFormats[0]=sap'], "at '/finance/exportFormats/0': value must be one of 'netsuite', 'quickbooks', 'workday', 'focus'"],
    [['--set', 'finance.reportEmailTo[0]=finance'], "at '/finance/reportEmailTo/0': 'finance' does not match pattern"],
    [['--set', 'image.digest=latest'], "at '/image/digest': 'latest' does not match pattern"],
    [['--set', 'rbac.aggregatedRoles=yes'], "at '/rbac/aggregatedRoles': got string, want boolean"],
    [['--set', 'podSecurityContext.runAsUser=0'], "at '/podSecurityContext/runAsUser': minimum: got 0, want 1"],
    [['--set', 'podSecurityContext.runAsNonRoot=false'], "at '/podSecurityContext/runAsNonRoot': value must be true"],
    [['--set-json', 'pricing.models=[{"provider":"openai","model":"m","input":2.5,"maxOutputTokens":1,"source":"https://x.example","checkedOn":"2026-11-01"}]'], "at '/pricing/models/0/input': got number, want string"],
    [['--set-json', 'pricing.models=[{"provider":"mistral","model":"m","input":"1","maxOutputTokens":1,"source":"https://x.example","checkedOn":"2026-11-01"}]'], "at '/pricing/models/0/provider': value must be one of 'openai', 'anthropic', 'google'"],
  ])('schema: %j', async (args, message) => {
    expect(await renderError(args)).toContain(message);
  });

  it.each([
    [['--set', 'gateway.ingress.enabled=true'], 'gateway.ingress.enabled needs gateway.ingress.host (the DNS name clients call)'],
    [['--set', 'gateway.autoscaling.minReplicas=5', '--set', 'gateway.autoscaling.maxReplicas=3'], 'gateway.autoscaling.minReplicas (5) must not be greater than gateway.autoscaling.maxReplicas (3)'],
    [['--set', 'gateway.podDisruptionBudget.minAvailable=2'], 'gateway.podDisruptionBudget.minAvailable (2) must be less than gateway.autoscaling.minReplicas (2), or no gateway pod can ever be evicted and node drains hang'],
    [['--set', 'gateway.autoscaling.enabled=false', '--set', 'gateway.replicas=1'], 'gateway.podDisruptionBudget.minAvailable (1) must be less than gateway.replicas (1)'],
    [['--set', 'migrations.existingSecret=stipend-database'], "migrations.existingSecret/key (stipend-database/url) must hold the owner's database URL, not the services' (database.existingSecret/key)"],
    [['--set', 'gateway.autoscaling.keda.enabled=true'], 'gateway.autoscaling.keda.enabled needs gateway.autoscaling.keda.prometheusServerAddress'],
    [['--set', 'cronJobs.hrisSync.enabled=true'], 'cronJobs.hrisSync.enabled needs cronJobs.hrisSync.bamboohr.subdomain (the acme of acme.bamboohr.com)'],
    [['--set', 'cronJobs.hrisSync.bamboohr.jobLevelMap.Engineer=2'], 'cronJobs.hrisSync.bamboohr.jobLevelMap needs cronJobs.hrisSync.bamboohr.jobLevelField (the field it maps)'],
    [['--set', 'gateway.autoscaling.targetInFlightPerReplica=2000'], 'gateway.autoscaling.targetInFlightPerReplica (2000) must be less than gateway.maxInFlight (2000)'],
  ])('cross-field rule: %j', async (args, message) => {
    expect(await renderError(args)).toContain(message);
  });

  it('the values file in the chart is what the schema documents (every default key is described there)', () => {
    const schema = JSON.parse(readFileSync(`${chart}/values.schema.json`, 'utf8')) as { properties: Record<string, unknown> };
    const values = parse(readFileSync(`${chart}/values.yaml`, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(values).sort()).toEqual(Object.keys(schema.properties).sort());
  });
});

describe('keyless cloud credentials', async () => {
  const { objects } = await render('stipend', 'stipend', [], [
    '--set-string', 'gateway.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::123456789012:role/stipend-bedrock',
    '--set-string', 'gateway.serviceAccount.annotations.azure\\.workload\\.identity/client-id=5e2f0000-0000-0000-0000-000000000000',
    '--set-string', 'gateway.serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account=stipend@acme-ai.iam.gserviceaccount.com',
    '--set', 'gateway.serviceAccount.azureWorkloadIdentity=true',
  ]);

  it("annotates the gateway's ServiceAccount for IRSA, AKS and GKE, and labels its pods for the AKS webhook", () => {
    expect(get(objects, 'ServiceAccount', '-gateway').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/stipend-bedrock',
      'azure.workload.identity/client-id': '5e2f0000-0000-0000-0000-000000000000',
      'iam.gke.io/gcp-service-account': 'stipend@acme-ai.iam.gserviceaccount.com',
    });
    expect(get(objects, 'Deployment', '-gateway').spec.template.metadata.labels).toMatchObject({ 'azure.workload.identity/use': 'true' });
    // Still no Kubernetes API token: the webhooks project their own, audience-bound ones.
    expect(get(objects, 'ServiceAccount', '-gateway').automountServiceAccountToken).toBe(false);
  });

  it('off by default: no annotations, no label', async () => {
    const { objects: plain } = await render('stipend', 'stipend');
    expect(get(plain, 'ServiceAccount', '-gateway').metadata.annotations).toBeUndefined();
    expect(get(plain, 'Deployment', '-gateway').spec.template.metadata.labels).not.toHaveProperty('azure.workload.identity/use');
  });

  it('the schema refuses a non-boolean switch', async () => {
    expect(await renderError(['--set-string', 'gateway.serviceAccount.azureWorkloadIdentity=yes'])).toContain('azureWorkloadIdentity');
  });
});
