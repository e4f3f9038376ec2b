import type { z } from 'zod';
import { describeIssues } from './describe-issues.ts';

/** The process environment as a command receives it (src/cli passes it in; nothing else reads process.env). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A bad configuration value: the command exits 2 with this one line, naming the variable. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
}

/** Parses configuration from the environment; a bad value is a ConfigError naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.error, '(root)')}`);
  return result.data;
}
