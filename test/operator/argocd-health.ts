import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const source = new URL('./argocd-health/', import.meta.url).pathname;

/**
 * Builds (once, cached outside the repo by the source's hash) a runner for Argo CD health
 * scripts on gopher-lua — the Lua VM Argo CD itself embeds — from the Go module proxy.
 */
export async function buildHealthRunner(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(source, f)));
  const dir = join(process.env.STIPEND_TOOLS_CACHE ?? join(homedir(), '.cache', 'stipend-tools'), `argocd-health-${hash.digest('hex').slice(0, 12)}`);
  const bin = join(dir, 'argocd-health');
  if (existsSync(bin)) return bin;
  const env = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  await exec('go', ['build', '-o', bin, '.'], { cwd: source, env });
  return bin;
}

export interface Health {
  readonly status: string;
  readonly message: string;
}

/** Runs one health script (a file) against an object the way Argo CD does. */
export async function health(runner: string, scriptFile: string, obj: unknown): Promise<Health> {
  const child = exec(runner, [scriptFile]);
  child.child.stdin!.end(JSON.stringify(obj));
  return JSON.parse((await child).stdout) as Health;
}
