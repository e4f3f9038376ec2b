// Helm for the deploy tests: the binary from test/k8s/env.sh (which .ci/run sources), the
// chart, renders parsed into objects, and the realistic values files in ./values.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const exec = promisify(execFile);
export const chart = new URL('../../charts/stipend', import.meta.url).pathname;
export const valuesDir = new URL('./values', import.meta.url).pathname;
/** Every realistic values file the chart is tested with. */
export const valuesFiles = readdirSync(valuesDir).filter((f) => f.endsWith('.yaml')).sort();

const helmBin = () => (process.env.STIPEND_HELM_BIN ? join(process.env.STIPEND_HELM_BIN, 'helm') : 'helm');

export async function helm(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string> {
  try {
    return (await exec(helmBin(), [...args], { maxBuffer: 32 * 1024 * 1024, env: { ...process.env, ...env } })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`helm not found (${helmBin()}): run test/k8s/install-tools.sh and \`source test/k8s/env.sh\`, as .ci/run does`);
    }
    throw error;
  }
}

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; rules?: any; data?: Record<string, string>; [k: string]: any };

export async function render(release: string, namespace: string, files: readonly string[] = [], extra: readonly string[] = []): Promise<{ text: string; objects: K8sObject[] }> {
  const text = await helm(['template', release, chart, '--namespace', namespace, ...files.flatMap((f) => ['-f', join(valuesDir, f)]), ...extra]);
  const objects = parseAllDocuments(text).map((d) => d.toJS() as K8sObject).filter(Boolean);
  return { text, objects };
}

/** What helm prints when it refuses to render (schema or template `fail`). */
export async function renderError(extra: readonly string[]): Promise<string> {
  try {
    await render('x', 'x', [], extra);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`helm template ${extra.join(' ')} unexpectedly succeeded`);
}

export const find = (objects: readonly K8sObject[], kind: string, nameSuffix: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));

export const get = (objects: readonly K8sObject[], kind: string, nameSuffix: string): K8sObject => {
  const found = find(objects, kind, nameSuffix);
  if (!found) throw new Error(`no ${kind} *${nameSuffix} in [${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found;
};

/** The pod template of a workload (Deployment, Job or CronJob). */
export function podSpecOf(o: K8sObject) {
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  if (o.kind === 'Deployment' || o.kind === 'Job') return o.spec.template.spec;
  return undefined;
}

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } };
export const envOf = (container: { env?: EnvVar[] }) => new Map((container.env ?? []).map((e) => [e.name, e]));

/** The NOTES `helm install` prints (client-side dry run). */
export async function notesOf(extra: readonly string[] = []): Promise<string> {
  const out = await helm(['install', 'stipend', chart, '--namespace', 'stipend', '--dry-run=client', ...extra]);
  return out.slice(out.indexOf('NOTES:'));
}

/** The YAML of NOTES' `kubectl apply -f - <<'EOF'` step, as a user would paste it. */
export function notesPolicy(notes: string): string {
  const match = /<<'EOF'\n([\s\S]*?)\nEOF\n/.exec(notes);
  if (!match) throw new Error('no heredoc in NOTES');
  return match[1]!;
}
