import { z } from 'zod';

/** The database every role but `dev` connects to. One-shot commands accept --data-dir instead of the URL. */
export const databaseEnv = {
  /** postgres://user:pass@host:5432/db; checked where it is used, so that --data-dir can stand in for it. */
  STIPEND_DATABASE_URL: z.string().optional(),
  STIPEND_DATABASE_POOL: z.coerce.number().int().min(1).max(1000).default(20),
} as const;

export const databaseEnvSchema = z.object(databaseEnv);
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;
