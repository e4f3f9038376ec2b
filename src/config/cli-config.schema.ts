import { z } from 'zod';

/** What every `stipend` command reads besides its role's variables. */
export const cliEnvSchema = z.object({
  /** Any non-empty value: an unexpected error prints its stack trace after the one-line message. */
  STIPEND_DEBUG: z.string().optional(),
});
