/** A mistake in how the command was called (flags, arguments, configuration): one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The command ran and could not do its job (database unreachable, file missing): one line, exit code 1. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}
