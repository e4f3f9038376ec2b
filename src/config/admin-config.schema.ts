import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { logLevel, port } from './env-fields.ts';
import { closeGraceAfterDeadline, exportEnv } from './reports-config.schema.ts';
import { portalEnv, requireOidcSettings } from './portal-config.schema.ts';
import { scimEnv } from './scim-config.schema.ts';

const tokenList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t.length > 0))
  .refine((tokens) => tokens.every((t) => t.length >= 16), 'every admin token must be at least 16 characters');

/** `stipend admin`: the admin API, dashboard and employee portal (tokens from a Kubernetes Secret, or SSO); it serves the exports and SCIM too. */
export const adminEnvSchema = z
  .object({
    ...databaseEnv,
    ...exportEnv,
    ...scimEnv,
    ...portalEnv,
    STIPEND_ADMIN_HOST: z.string().default('0.0.0.0'),
    STIPEND_ADMIN_PORT: port(8790),
    /** Full access, comma-separated. */
    STIPEND_ADMIN_TOKENS: tokenList.refine((t) => t.length > 0, 'STIPEND_ADMIN_TOKENS must name at least one token'),
    /** Read-only access (reports, dashboard); revoking keys answers 403. */
    STIPEND_ADMIN_READONLY_TOKENS: tokenList.default([]),
    LOG_LEVEL: logLevel('info'),
  })
  .superRefine(requireOidcSettings)
  .superRefine(closeGraceAfterDeadline);

export type AdminEnv = z.infer<typeof adminEnvSchema>;
