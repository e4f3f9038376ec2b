#!/usr/bin/env node
// The only wiring place: `stipend <command> …` is parsed here and handed to one command.
//
// Conventions (docs/cli.md has the long version):
// - One file per command under src/cli/commands/ (`<name>.command.ts`); a command with
//   subcommands is a folder with `<name>.group.ts` listing them. Adding `report close`:
//   write commands/report/close.command.ts with defineCommand({...}) and add it to the
//   `subcommands` of report.group.ts. Top-level commands are listed in commands/index.ts.
// - Options are declared once in the command's `options` table: they are parsed strictly
//   (node:util parseArgs) and printed by --help/-h, with the `examples`. Mark required
//   options `required: true` and closed sets with `choices`; test/cli-help.test.ts checks
//   every command's help names every option.
// - Commands write through ctx.stdout/ctx.stderr, read ctx.env, resolve files against
//   ctx.cwd, and return an exit code. Throw CliError for a mistake in the call (exit 2)
//   and CommandFailed for a failure while running (exit 1): one line, no stack trace.
//   Anything else thrown becomes one line too (STIPEND_DEBUG=1 adds the stack).
// - Commands that use the database spread DATA_DIR_OPTION into their options and call
//   ctx.database(): it opens `--data-dir` (a `stipend dev` data dir) or STIPEND_DATABASE_URL.
import { readFileSync } from 'node:fs';
import { STIPEND } from './commands/index.ts';
import { runCli } from './run-cli.ts';
import { isGroup } from './command.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// `stipend report export … | head`: the reader left; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

if (!isGroup(STIPEND)) throw new Error('the command table must be a group');
const code = await runCli({ version, root: STIPEND }, process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
process.exitCode = code;
// A command that failed may leave a half-opened resource behind; do not hang on it.
if (code !== 0) setTimeout(() => process.exit(code), 2_000).unref();
