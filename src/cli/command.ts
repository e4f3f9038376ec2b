// The shape every `stipend` command has. Options are declared once: the same table is
// parsed (node:util parseArgs, strict) and printed as --help. See src/cli/main.ts.
import type { DbHandle } from '../db/db-handle.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Placeholder shown in help for a string option, e.g. DATE. */
  readonly value?: string;
  readonly short?: string;
  readonly default?: string | boolean;
  /** Allowed values of a string option; anything else is a usage error. */
  readonly choices?: readonly string[];
  readonly required?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : (S extends { readonly choices: readonly (infer C extends string)[] } ? C : string) | (S extends { readonly default: string } | { readonly required: true } ? never : undefined);

export type OptionValues<O extends OptionTable> = { readonly [K in keyof O]: ValueOf<O[K]> };

export interface Writer {
  write(text: string): unknown;
}

/** What a command may touch besides its arguments: injected, so tests and other hosts can run it. */
export interface CommandIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file paths in arguments are resolved against this. */
  readonly cwd: string;
}

export interface CommandContext<O extends OptionTable> extends CommandIo {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  /** Full path of the command, e.g. "report spend", for messages. */
  readonly path: string;
  /**
   * The database: the `stipend dev` data dir when the command has `--data-dir` and it
   * was given, else STIPEND_DATABASE_URL. Connection is checked before it is returned.
   */
  database(applicationName: string): Promise<DbHandle>;
}

export interface LeafCommand<O extends OptionTable = OptionTable> {
  readonly name: string;
  readonly summary: string;
  /** Extra paragraphs of help (environment variables, exit codes). */
  readonly details?: string;
  readonly options: O;
  /** Names of positional arguments, for help; none by default (any positional is a usage error). */
  readonly positionals?: readonly string[];
  readonly examples: readonly string[];
  /** Resolves to the exit code (default 0). Long-running roles resolve once started. */
  run(ctx: CommandContext<O>): Promise<number | void>;
}

export interface GroupCommand {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
  readonly examples: readonly string[];
}

export type Command = LeafCommand | GroupCommand;

export const isGroup = (c: Command): c is GroupCommand => 'subcommands' in c;

/** Declares a command with typed option values (`ctx.values.from` is a string when required). */
export function defineCommand<const O extends OptionTable>(spec: LeafCommand<O>): Command {
  return spec as unknown as Command;
}

export function defineGroup(spec: GroupCommand): Command {
  return spec;
}
