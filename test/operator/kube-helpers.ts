import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The real API server started by test/k8s/start-apiserver.sh (.ci/run does it). */
export function kubeconfig(): string {
  const path = process.env.KUBECONFIG;
  if (!path) throw new Error('KUBECONFIG is not set: run `bash test/k8s/start-apiserver.sh` and `source test/k8s/env.sh` (as .ci/run does)');
  return path;
}

const kubectlBin = () => (process.env.STIPEND_K8S_BIN ? join(process.env.STIPEND_K8S_BIN, 'kubectl') : 'kubectl');

export async function kubectl(args: readonly string[], stdin?: string, env?: Readonly<Record<string, string>>): Promise<string> {
  const child = exec(kubectlBin(), ['--kubeconfig', kubeconfig(), ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } });
  if (stdin !== undefined) {
    child.child.stdin!.write(stdin);
    child.child.stdin!.end();
  }
  return (await child).stdout;
}

/** kubectl that is expected to fail: resolves with its stderr. */
export async function kubectlFails(args: readonly string[], stdin?: string): Promise<string> {
  try {
    await kubectl(args, stdin);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded`);
}

/** Applies crds/ and waits until the API server serves the three kinds. */
export async function installCrds(): Promise<void> {
  await kubectl(['apply', '-f', new URL('../../crds', import.meta.url).pathname]);
  await kubectl(['wait', '--for=condition=Established', 'crd/budgets.stipend.dev', 'crd/teams.stipend.dev', 'crd/modelpolicies.stipend.dev']);
}

export const uniqueNamespace = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** The examples/ policy, moved to another namespace so test files never collide. */
export function examplesIn(namespace: string): string {
  const dir = new URL('../../examples', import.meta.url).pathname;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').replaceAll('namespace: acme', `namespace: ${namespace}`))
    .join('\n---\n');
}

/** Polls until `probe` gives a value. The default deadline is generous for a loaded CI machine: a healthy run never waits it out. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function condition(kind: string, namespace: string, name: string, type = 'Ready') {
  const obj = JSON.parse(await kubectl(['get', kind, name, '-n', namespace, '-o', 'json'])) as {
    metadata: { generation: number; finalizers?: string[] };
    status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason: string; message: string }[]; [k: string]: unknown };
  };
  return { obj, condition: obj.status?.conditions?.find((c) => c.type === type) };
}
