import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jobLevelMappingSchema, type JobLevelMapping } from '../people/job-level.ts';
import { parsePatchPath } from './filter/filter.ts';
import { USER_TYPE } from './schema/resource-types.ts';
import { resolvePath } from './schema/resolve.ts';

const MIN_TOKEN_LENGTH = 24;

const list = (s: string) => s.split(/[\n,]/).map((t) => t.trim()).filter((t) => t !== '' && !t.startsWith('#'));

/** The SCIM server's configuration (env; tokens from a Kubernetes Secret, as a variable or a mounted file). */
export const scimEnvSchema = z.object({
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
});

export interface ScimConfig {
  readonly tokens: readonly string[];
  readonly baseUrl: string | undefined;
  readonly jobLevel: JobLevelMapping | undefined;
}

export class ScimConfigError extends Error {
  override readonly name = 'ScimConfigError';
}

/** null when no token is configured: the SCIM API is then not served. */
export function scimConfigFromEnv(env: Readonly<Record<string, string | undefined>>): ScimConfig | null {
  const parsed = scimEnvSchema.safeParse(env);
  if (!parsed.success) throw new ScimConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const e = parsed.data;
  const tokens = [...list(e.STIPEND_SCIM_TOKENS ?? '')];
  if (e.STIPEND_SCIM_TOKENS_FILE) {
    try {
      tokens.push(...list(readFileSync(e.STIPEND_SCIM_TOKENS_FILE, 'utf8')));
    } catch (error) {
      throw new ScimConfigError(`STIPEND_SCIM_TOKENS_FILE: cannot read ${e.STIPEND_SCIM_TOKENS_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (tokens.length === 0) return null;
  const short = tokens.find((t) => !t.startsWith('sha256:') && t.length < MIN_TOKEN_LENGTH);
  if (short !== undefined) throw new ScimConfigError(`every SCIM token must be at least ${MIN_TOKEN_LENGTH} characters (or sha256:<hex>)`);
  return { tokens, baseUrl: e.STIPEND_SCIM_BASE_URL?.replace(/\/+$/, ''), jobLevel: jobLevelMapping(e.STIPEND_SCIM_JOB_LEVEL_FROM, e.STIPEND_SCIM_JOB_LEVEL_MAP) };
}

function jobLevelMapping(from: string | undefined, mapText: string | undefined): JobLevelMapping | undefined {
  if (from === undefined || from.trim() === '') {
    if (mapText) throw new ScimConfigError('STIPEND_SCIM_JOB_LEVEL_MAP needs STIPEND_SCIM_JOB_LEVEL_FROM (the attribute it maps)');
    return undefined;
  }
  try {
    const parsed = parsePatchPath(from.trim());
    resolvePath(USER_TYPE, parsed.path, 'invalidPath');
  } catch (error) {
    throw new ScimConfigError(`STIPEND_SCIM_JOB_LEVEL_FROM: ${(error as Error).message}`);
  }
  let map: unknown;
  if (mapText) {
    try {
      map = JSON.parse(mapText);
    } catch {
      throw new ScimConfigError('STIPEND_SCIM_JOB_LEVEL_MAP must be a JSON object such as {"Staff Engineer": 6}');
    }
  }
  const result = jobLevelMappingSchema.safeParse({ from: from.trim(), ...(map === undefined ? {} : { map }) });
  if (!result.success) throw new ScimConfigError(`STIPEND_SCIM_JOB_LEVEL_MAP: ${result.error.issues[0]?.message ?? 'invalid'} (values must be integers 0–1000)`);
  return result.data;
}
