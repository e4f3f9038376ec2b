import { readFile } from 'node:fs/promises';
import type { HrisEnv } from '../../../config/hris-config.schema.ts';
import type { BambooHrSource } from './bamboohr-employee.ts';
import type { BambooHrSettings } from './bamboohr-sync.ts';

export class BambooHrSettingsError extends Error {
  override readonly name = 'BambooHrSettingsError';
}

/** The sync's settings from its (validated) environment; the API key may be a mounted Secret file. */
export async function bambooHrSettings(env: HrisEnv, source: BambooHrSource): Promise<BambooHrSettings> {
  let apiKey = env.STIPEND_BAMBOOHR_API_KEY;
  if (apiKey === undefined) {
    const file = env.STIPEND_BAMBOOHR_API_KEY_FILE!;
    try {
      apiKey = (await readFile(file, 'utf8')).trim();
    } catch (error) {
      throw new BambooHrSettingsError(`STIPEND_BAMBOOHR_API_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (apiKey === '') throw new BambooHrSettingsError(`STIPEND_BAMBOOHR_API_KEY_FILE: ${file} is empty`);
  }
  const levelField = env.STIPEND_BAMBOOHR_JOB_LEVEL_FIELD;
  return {
    source,
    connection: {
      baseUrl: env.STIPEND_BAMBOOHR_BASE_URL,
      companyDomain: env.STIPEND_BAMBOOHR_SUBDOMAIN,
      apiKey,
      timeoutMs: env.STIPEND_BAMBOOHR_TIMEOUT_MS,
      maxAttempts: env.STIPEND_BAMBOOHR_MAX_ATTEMPTS,
      maxRetryAfterMs: env.STIPEND_BAMBOOHR_MAX_RETRY_AFTER_SECONDS * 1000,
    },
    plan: {
      ...(levelField ? { jobLevel: { from: levelField, ...(env.STIPEND_BAMBOOHR_JOB_LEVEL_MAP ? { map: env.STIPEND_BAMBOOHR_JOB_LEVEL_MAP } : {}) } } : {}),
      ...(env.STIPEND_BAMBOOHR_COST_CENTER_FIELD ? { costCenterField: env.STIPEND_BAMBOOHR_COST_CENTER_FIELD } : {}),
    },
  };
}
