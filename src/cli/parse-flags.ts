import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { CliError } from './cli-error.ts';

/**
 * Flags of a (sub)command, plus -h/--help. A mistake (unknown flag, missing value) is a
 * CliError of one line that points at --help, never a stack trace.
 */
export function parseFlags<T extends ParseArgsOptionsConfig>(args: string[], options: T, helpHint: string) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (see ${helpHint} --help)`);
  }
}
