import { spawn } from 'node:child_process';
import { buildGoTool } from '../operator/go-tool.ts';
import { kubeconfig } from '../operator/kube-helpers.ts';

/**
 * Runs Kubernetes' clusterrole-aggregation controller (built from k8s.io/kubernetes, cached)
 * against the test API server, which has no controller-manager; stop() ends it.
 */
export async function startRbacAggregation(): Promise<{ stop(): Promise<void> }> {
  const bin = await buildGoTool(new URL('./rbac-aggregation/', import.meta.url).pathname, 'rbac-aggregation');
  const child = spawn(bin, [kubeconfig()], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
