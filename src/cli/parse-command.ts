import { parseArgs } from 'node:util';
import type { LeafCommand } from './command.ts';
import { CliError } from './cli-error.ts';

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** `--help`/`-h` before any `--` terminator: help wins over every other mistake on the line. */
export const wantsHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/**
 * Strict parsing against the command's option table. Every mistake is a one-line
 * CliError that names the command and points at its --help.
 */
export function parseCommandArgs(path: string, command: LeafCommand, args: readonly string[]): ParsedArgs {
  const usage = (problem: string) => new CliError(`${path}: ${problem} (see 'stipend ${path} --help')`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: (command.positionals?.length ?? 0) > 0,
      options: Object.fromEntries(
        Object.entries(command.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
      ),
    });
  } catch (error) {
    throw usage(describeParseError(error));
  }
  const values: Record<string, string | boolean | undefined> = { ...parsed.values };
  for (const [name, o] of Object.entries(command.options)) {
    const v = values[name];
    if (v === undefined) {
      if (o.required) throw usage(`--${name} is required`);
      if (o.default !== undefined) values[name] = o.default;
      continue;
    }
    if (typeof v === 'string' && o.choices && !o.choices.includes(v)) throw usage(`--${name} must be one of ${o.choices.join(', ')} (got '${v}')`);
    if (typeof v === 'string' && v.trim() === '') throw usage(`--${name} needs a value`);
  }
  if (parsed.positionals.length > (command.positionals?.length ?? 0)) throw usage(`unexpected argument '${parsed.positionals.at(-1)}'`);
  return { values, positionals: parsed.positionals };
}

/** node:util's messages are long and multi-sentence; say the same in a few words. */
function describeParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(message) ? `${option ?? 'an option'} needs a value` : `${option ?? 'an option'} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${/'([^']*)'/.exec(message)?.[1] ?? message}'`;
    default:
      return message.split('\n')[0] ?? message;
  }
}
