// Every command and subcommand answers --help and -h (options and an example), and every
// usage mistake is one line on stderr with exit code 2. Commands are enumerated from the
// command table, so a new command is covered without touching this file.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { STIPEND } from '../src/cli/commands/index.ts';
import { isGroup, type Command, type GroupCommand, type LeafCommand } from '../src/cli/command.ts';
import { runCli } from '../src/cli/run-cli.ts';

const exec = promisify(execFile);
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const program = { version, root: STIPEND as GroupCommand };

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(program, argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

function walk(c: Command, path: string[] = []): { path: string[]; command: Command }[] {
  const here = path.length ? [{ path, command: c }] : [];
  return isGroup(c) ? [...here, ...c.subcommands.flatMap((s) => walk(s, [...path, s.name]))] : here;
}

const all = walk(STIPEND);
const leaves = all.filter((e): e is { path: string[]; command: LeafCommand } => !isGroup(e.command));

describe('stipend --help', () => {
  it('covers the whole table', () => {
    expect(all.map((e) => e.path.join(' '))).toEqual(expect.arrayContaining(['dev', 'gateway', 'operator', 'crds', 'report spend', 'report export', 'keys create', 'audit verify']));
  });

  it.each(all.map((e) => [e.path.join(' '), e] as const))('%s --help and -h: exit 0, options and an example', async (_name, { path, command }) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await cli([...path, flag]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain(`stipend ${path.join(' ')} — ${command.summary}`);
      expect(stdout).toMatch(/\nusage: stipend /);
      expect(stdout).toContain('-h, --help');
      if (isGroup(command)) for (const s of command.subcommands) expect(stdout).toContain(`  ${s.name} `);
      else for (const option of Object.keys(command.options)) expect(stdout).toContain(`--${option}`);
      const examples = stdout.split('\nexamples:\n')[1] ?? '';
      expect(examples).toMatch(new RegExp(`stipend ${path.join(' ')}\\b`));
    }
  });

  it('help wins over other mistakes on the line, and works after a group', async () => {
    expect((await cli(['report', 'export', '--bogus', '--help'])).code).toBe(0);
    expect((await cli(['report', '--help'])).stdout).toContain('stipend report — ');
    expect((await cli([])).stdout).toContain('usage: stipend <command>');
  });

  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `stipend ${version}\n`, stderr: '' });
  });
});

const oneLine = (s: string) => s.endsWith('\n') && !s.slice(0, -1).includes('\n') && s.startsWith('stipend: ');

describe('usage errors: one line, exit 2', () => {
  it.each(leaves.map((e) => [e.path.join(' '), e] as const))('%s with an unknown flag', async (_name, { path }) => {
    const r = await cli([...path, '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toContain('unknown option --no-such-flag');
    expect(r.stdout).toBe('');
  });

  const stringOptions = leaves.flatMap((e) => Object.entries(e.command.options).filter(([, o]) => o.type === 'string').map(([name, o]) => ({ ...e, name, option: o })));
  it.each(stringOptions.map((s) => [`${s.path.join(' ')} --${s.name}`, s] as const))('%s without its value', async (_name, { path, name }) => {
    const r = await cli([...path, `--${name}`]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toContain(`--${name} needs a value`);
  });

  const closed = stringOptions.filter((s) => s.option.choices);
  it.each(closed.map((s) => [`${s.path.join(' ')} --${s.name}`, s] as const))('%s with a value outside its choices', async (_name, { path, name, command }) => {
    const required = Object.entries(command.options).flatMap(([n, o]) => (o.required && n !== name ? [`--${n}`, o.choices?.[0] ?? '2026-03'] : []));
    const r = await cli([...path, ...required, `--${name}`, 'nonsense']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toContain(`--${name} must be one of`);
  });

  it('a missing required option, a bad value, an unknown command, a missing subcommand', async () => {
    for (const argv of [
      ['report', 'spend', '--from', '2026-03-01'],
      ['report', 'spend', '--from', '2026-03-01', '--to', 'soon'],
      ['report', 'export', '--month', 'March', '--format', 'focus'],
      ['keys', 'revoke'],
      ['keys', 'revoke', '--id', 'abc'],
      ['dev', '--port', 'eighty'],
      ['reprot'],
      ['report'],
      ['keys', 'bogus'],
      ['audit', 'verify', 'now'],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
    }
  });
});

describe('runtime failures: one line, exit 1, no stack trace', () => {
  it('an unreachable database, a data dir that does not exist, no database configured', async () => {
    const away = await cli(['report', 'spend', '--from', '2026-03-01', '--to', '2026-03-31'], { STIPEND_DATABASE_URL: 'postgres://stipend:secret@127.0.0.1:1/stipend' });
    expect(away).toMatchObject({ code: 1, stderr: 'stipend: cannot reach the database at 127.0.0.1:1/stipend (STIPEND_DATABASE_URL): connection refused by 127.0.0.1:1\n' });
    const missing = await cli(['audit', 'verify', '--data-dir', '/nonexistent/stipend']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("stipend: no dev database in /nonexistent/stipend: run 'stipend dev --data-dir /nonexistent/stipend' once to create it\n");
    const unset = await cli(['keys', 'list']);
    expect(unset.code).toBe(2);
    expect(oneLine(unset.stderr)).toBe(true);
    expect(unset.stderr).toContain('STIPEND_DATABASE_URL is not set');
  });

  it('the real entry point: report export --help, a usage error and a failure, as processes', async () => {
    const help = await exec(process.execPath, ['src/cli/main.ts', 'report', 'export', '--help']);
    expect(help.stdout).toContain('--format FMT');
    const usage = (await exec(process.execPath, ['src/cli/main.ts', 'report', 'export', '--month']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("stipend: report export: --month needs a value (see 'stipend report export --help')\n");
    const failed = (await exec(process.execPath, ['src/cli/main.ts', 'keys', 'list'], { env: { PATH: process.env.PATH ?? '', STIPEND_DATABASE_URL: 'postgres://x@127.0.0.1:1/x' } }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });
});
