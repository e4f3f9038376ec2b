import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { optionalText } from './env-fields.ts';

/** `stipend migrate`: STIPEND_DATABASE_URL is the owner's URL here. */
export const migrateEnvSchema = z.object({
  ...databaseEnv,
  /** The URL the services connect with; its user is the runtime role (created with that password if missing). */
  STIPEND_RUNTIME_DATABASE_URL: optionalText,
  /** The runtime role's name alone, for a role your DBA made (as --runtime-role). */
  STIPEND_RUNTIME_ROLE: optionalText,
});

export type MigrateEnv = z.infer<typeof migrateEnvSchema>;
