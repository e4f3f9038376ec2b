import { readFileSync } from 'node:fs';
import { ConfigError, parseEnv, type Env } from '../../config/parse-env.ts';
import { scimEnvSchema, type ScimEnv } from '../../config/scim-config.schema.ts';
import { jobLevelMappingSchema, type JobLevelMapping } from '../people/job-level.ts';
import { parsePatchPath } from './filter/filter.ts';
import { USER_TYPE } from './schema/resource-types.ts';
import { resolvePath } from './schema/resolve.ts';

const MIN_TOKEN_LENGTH = 24;

const list = (s: string) => s.split(/[\n,]/).map((t) => t.trim()).filter((t) => t !== '' && !t.startsWith('#'));

export interface ScimConfig {
  readonly tokens: readonly string[];
  readonly baseUrl: string | undefined;
  readonly jobLevel: JobLevelMapping | undefined;
}

/** A bad SCIM setting: a configuration error (one line, exit 2). */
export class ScimConfigError extends ConfigError {
  override readonly name = 'ScimConfigError';
}

/** null when no token is configured: the SCIM API is then not served. */
export function scimConfigFromEnv(env: Env): ScimConfig | null {
  return scimConfigFrom(parseEnv(scimEnvSchema, env));
}

/** The SCIM configuration of config/scim-config.schema.ts's variables (null: not served). */
export function scimConfigFrom(e: ScimEnv): ScimConfig | null {
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
