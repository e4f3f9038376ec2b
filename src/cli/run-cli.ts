import { CliError } from './cli-error.ts';
import { isGroup, type Command, type CommandIo, type GroupCommand } from './command.ts';
import { describeFailure } from './describe-failure.ts';
import { helpText } from './help-text.ts';
import { parseCommandArgs, wantsHelp } from './parse-command.ts';

export interface Program {
  readonly version: string;
  readonly root: GroupCommand;
}

/**
 * Runs one command line and resolves to its exit code: 0 done, 1 failed while running,
 * 2 called wrongly (one line on stderr, no stack trace), other codes as a command says.
 * A long-running role resolves once it is serving; its signal handlers end the process.
 */
export async function runCli(program: Program, argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(program, argv, io);
  } catch (error) {
    const failure = describeFailure(error);
    io.stderr.write(`stipend: ${failure.message}\n`);
    if (failure.stack && io.env.STIPEND_DEBUG) io.stderr.write(`${failure.stack}\n`);
    return failure.code;
  }
}

async function dispatch(program: Program, argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout.write(`stipend ${program.version}\n`);
    return 0;
  }
  let command: Command = program.root;
  const path: string[] = [];
  let rest = [...argv];
  while (isGroup(command)) {
    const group: GroupCommand = command;
    const [next, ...after] = rest;
    const where = ['stipend', ...path].join(' ');
    if (next === undefined && path.length > 0) {
      throw new CliError(`${path.join(' ')}: missing command, one of ${group.subcommands.map((s) => s.name).join(', ')} (see '${where} --help')`);
    }
    if (next === undefined || next === 'help' || wantsHelp([next])) {
      io.stdout.write(helpText(path.join(' '), group, path.length ? undefined : program.version));
      return 0;
    }
    const sub = group.subcommands.find((s) => s.name === next);
    if (!sub) {
      if (wantsHelp(after)) {
        io.stdout.write(helpText(path.join(' '), group, path.length ? undefined : program.version));
        return 0;
      }
      const what = next.startsWith('-') ? `unknown option ${next}` : `unknown command '${[...path, next].join(' ')}'`;
      throw new CliError(`${what}; commands: ${group.subcommands.map((s) => s.name).join(', ')} (see '${where} --help')`);
    }
    command = sub;
    path.push(sub.name);
    rest = after;
  }
  const name = path.join(' ');
  if (wantsHelp(rest)) {
    io.stdout.write(helpText(name, command));
    return 0;
  }
  const parsed = parseCommandArgs(name, command, rest);
  const values = parsed.values;
  const code = await command.run({
    ...io,
    values: values as never,
    positionals: parsed.positionals,
    path: name,
    // Loaded on use: the database drivers (PGlite above all) are heavy, and --help needs none.
    database: async (applicationName) =>
      (await import('./open-database.ts')).openDatabase({ dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined, env: io.env, cwd: io.cwd, command: name, applicationName }),
  });
  return code ?? 0;
}
