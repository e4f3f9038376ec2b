import { spawn, type ChildProcess } from 'node:child_process';
import { kubeconfig } from './kube-helpers.ts';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface OperatorProcess {
  readonly child: ChildProcess;
  /** Parsed JSON log lines, in order, each stamped with when the test saw it. */
  readonly logs: { msg: string; key?: string; seenAt: number; [k: string]: unknown }[];
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** The real `stipend operator` CLI as a child process (debug logs: one line per reconcile). */
export function startOperatorProcess(databaseUrl: string, namespaces: readonly string[]): OperatorProcess {
  const child = spawn(process.execPath, [main, 'operator', '--kubeconfig', kubeconfig(), '--namespaces', namespaces.join(',')], {
    env: { ...process.env, STIPEND_DATABASE_URL: databaseUrl, LOG_LEVEL: 'debug', STIPEND_OPERATOR_METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: OperatorProcess['logs'] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push({ ...(JSON.parse(line) as { msg: string }), seenAt: Date.now() });
      } catch {
        logs.push({ msg: line, seenAt: Date.now() });
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (stderr) process.stderr.write(`[operator ${child.pid}] ${stderr}`);
      resolve(code);
    }),
  );
  return {
    child,
    logs,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export const reconciles = (p: OperatorProcess) => p.logs.filter((l) => l.msg === 'reconciled');
export const isLeader = (p: OperatorProcess) => p.logs.some((l) => l.msg === 'elected leader: reconciling');
