import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Builds (once, cached outside the repo by the source's hash) a small Go program of the
 * test tree — the real library a tool embeds, from the Go module proxy — and returns it.
 */
export async function buildGoTool(source: string, name: string): Promise<string> {
  const hash = createHash('sha256');
  for (const f of readdirSync(source).filter((f) => /^(go\.mod|go\.sum|.*\.go)$/.test(f)).sort()) hash.update(f).update(readFileSync(join(source, f)));
  const dir = join(process.env.STIPEND_TOOLS_CACHE ?? join(homedir(), '.cache', 'stipend-tools'), `${name}-${hash.digest('hex').slice(0, 12)}`);
  const bin = join(dir, name);
  if (existsSync(bin)) return bin;
  const env = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  await exec('go', ['build', '-trimpath', '-o', bin, '.'], { cwd: source, env });
  return bin;
}

/** Runs a tool that reads an object (JSON) on stdin and answers `{status, message}` on stdout. */
export async function judge(bin: string, args: readonly string[], obj: unknown): Promise<{ readonly status: string; readonly message: string }> {
  const child = exec(bin, [...args]);
  child.child.stdin!.end(JSON.stringify(obj));
  return JSON.parse((await child).stdout) as { status: string; message: string };
}
