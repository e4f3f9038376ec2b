import { spawn, type ChildProcess } from 'node:child_process';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Parsed JSON log lines (stdout) and raw stderr, for diagnosis. */
  readonly logs: Record<string, unknown>[];
  stderr(): string;
  /** Null while the process runs. */
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** The real `stipend gateway` CLI as a child process on a free loopback port. */
export async function startGatewayProcess(env: Readonly<Record<string, string>>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [main, 'gateway'], {
    env: {
      ...process.env,
      STIPEND_HOST: '127.0.0.1',
      STIPEND_PORT: '0',
      STIPEND_METRICS_HOST: '127.0.0.1',
      STIPEND_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let exit: number | null = null;
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = code ?? (signal ? 128 : -1);
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          parsed = { msg: line };
        }
        logs.push(parsed);
        if (parsed.msg === 'gateway listening') resolve(String(parsed.url));
      }
    });
    void exited.then(() => reject(new Error(`gateway exited with ${exit}: ${stderr}`)));
  });
  return {
    child,
    url,
    logs,
    stderr: () => stderr,
    exitCode: () => exit,
    async stop() {
      if (exit === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
