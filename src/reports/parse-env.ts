import type { z } from 'zod';
import { describeIssues } from './spend-report.schema.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses configuration from the environment; a bad value is a ConfigError naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.error)}`);
  return result.data;
}
