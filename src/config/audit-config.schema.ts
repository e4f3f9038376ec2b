import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { optionalText } from './env-fields.ts';

/** `stipend audit`: the Ed25519 keys checkpoints are signed and verified with (PEM text, or a file naming it). */
export const auditEnvSchema = z.object({
  ...databaseEnv,
  STIPEND_AUDIT_SIGNING_KEY: optionalText,
  STIPEND_AUDIT_SIGNING_KEY_FILE: optionalText,
  STIPEND_AUDIT_PUBLIC_KEY: optionalText,
  STIPEND_AUDIT_PUBLIC_KEY_FILE: optionalText,
});

export type AuditEnv = z.infer<typeof auditEnvSchema>;
