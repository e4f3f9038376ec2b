import { z } from 'zod';

/** The SCIM 2.0 server `stipend admin` serves (tokens from a Kubernetes Secret, as a variable or a mounted file). */
export const scimEnv = {
  /** Bearer tokens, comma-separated; an entry may be `sha256:<hex>` (the token's digest). */
  STIPEND_SCIM_TOKENS: z.string().optional(),
  /** A file with one token (or digest) per line: a mounted Secret. */
  STIPEND_SCIM_TOKENS_FILE: z.string().optional(),
  /** Public base URL of the SCIM API (e.g. https://stipend.example.com/scim/v2), for meta.location; default: from the request. */
  STIPEND_SCIM_BASE_URL: z.string().url().optional(),
  /** The User attribute that gives the job level when the Stipend extension does not (e.g. `title`). */
  STIPEND_SCIM_JOB_LEVEL_FROM: z.string().optional(),
  /** JSON object: attribute value → job level, e.g. {"Staff Engineer": 6}. Without it, the first integer of the value. */
  STIPEND_SCIM_JOB_LEVEL_MAP: z.string().optional(),
} as const;

export const scimEnvSchema = z.object(scimEnv);
export type ScimEnv = z.infer<typeof scimEnvSchema>;
