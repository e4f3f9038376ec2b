import { z } from 'zod';

const tokenList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t.length > 0))
  .refine((tokens) => tokens.every((t) => t.length >= 16), 'every admin token must be at least 16 characters');

/** The admin server's configuration (env; tokens from a Kubernetes Secret). */
export const adminEnvSchema = z.object({
  STIPEND_ADMIN_HOST: z.string().default('0.0.0.0'),
  STIPEND_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  /** Full access, comma-separated. */
  STIPEND_ADMIN_TOKENS: tokenList.refine((t) => t.length > 0, 'STIPEND_ADMIN_TOKENS must name at least one token'),
  /** Read-only access (reports, dashboard); revoking keys answers 403. */
  STIPEND_ADMIN_READONLY_TOKENS: tokenList.default([]),
  /** Shown as a link in the monthly email. */
  STIPEND_DASHBOARD_URL: z.string().url().optional(),
});

export type AdminEnv = z.infer<typeof adminEnvSchema>;
