import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Optional text where an empty value means unset (`FOO=` in a shell or a chart). */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A BambooHR field: its API name (jobTitle, customJobLevel) or a custom field's numeric id (4047). */
const fieldName = optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_.-]{1,100}$/.test(v), 'must be a BambooHR field name or numeric field id, e.g. jobTitle or 4047');

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The company's subdomain as BambooHR names it: `acme` for acme.bamboohr.com. */
const subdomain = z
  .string({ error: 'is required (the acme of acme.bamboohr.com)' })
  .trim()
  .refine((s) => !s.includes('.'), 'give only the subdomain: acme for acme.bamboohr.com')
  .refine((s) => s.includes('.') || /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(s), 'must be letters, digits and hyphens (the acme of acme.bamboohr.com)');

/** Value → level, compared trimmed and case-insensitively (as SCIM's STIPEND_SCIM_JOB_LEVEL_MAP). */
const levelMap = optionalText.transform((text, ctx) => {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"Staff Engineer": 6}' });
    return z.NEVER;
  }
  const map = z.record(z.string(), z.number().int().min(0).max(1000)).safeParse(parsed);
  if (!map.success || Array.isArray(parsed)) {
    ctx.addIssue({ code: 'custom', message: 'must map values to integer levels 0–1000, e.g. {"Staff Engineer": 6}' });
    return z.NEVER;
  }
  return map.data;
});

/**
 * `stipend hris sync bamboohr`: the company and its API key (a Kubernetes Secret, as a
 * variable or a mounted file), where the job level and cost center come from, and how long
 * to keep trying when BambooHR is busy.
 */
export const hrisEnvSchema = z.object({
  STIPEND_DATABASE_URL: z.string().optional(),
  STIPEND_DATABASE_POOL: z.coerce.number().int().min(1).max(1000).default(20),
  STIPEND_BAMBOOHR_SUBDOMAIN: subdomain,
  /** The API key (BambooHR: your name → API Keys). Exactly one of this and the _FILE variant. */
  STIPEND_BAMBOOHR_API_KEY: optionalText,
  STIPEND_BAMBOOHR_API_KEY_FILE: optionalText,
  /** The API host; https only (http for a loopback stand-in). */
  STIPEND_BAMBOOHR_BASE_URL: z
    .string()
    .trim()
    .default('https://api.bamboohr.com')
    .refine((s) => URL.canParse(s), 'must be a URL such as https://api.bamboohr.com')
    .refine((s) => !URL.canParse(s) || new URL(s).protocol === 'https:' || (new URL(s).protocol === 'http:' && LOOPBACK.has(new URL(s).hostname)), 'must be https (http only on loopback): the API key travels in every request')
    .transform((s) => s.replace(/\/+$/, '')),
  /** The field that gives the job level, e.g. a custom field id (4047) or jobTitle with a map. */
  STIPEND_BAMBOOHR_JOB_LEVEL_FIELD: fieldName,
  /** JSON: field value → level. Without it, the first integer of the value ("L6" → 6). */
  STIPEND_BAMBOOHR_JOB_LEVEL_MAP: levelMap,
  /** The field that gives the cost center (BambooHR has no standard one), e.g. a custom field id. */
  STIPEND_BAMBOOHR_COST_CENTER_FIELD: fieldName,
  /** Per request; a slower answer counts as a failed attempt. */
  STIPEND_BAMBOOHR_TIMEOUT_MS: positiveInt(60_000, 600_000),
  /** Attempts per request when BambooHR is rate limiting (429/503) or failing (5xx, network). */
  STIPEND_BAMBOOHR_MAX_ATTEMPTS: positiveInt(5, 20),
  /** The longest Retry-After honoured; a longer one fails the run at once (the next run retries). */
  STIPEND_BAMBOOHR_MAX_RETRY_AFTER_SECONDS: positiveInt(120, 3600),
}).superRefine((env, ctx) => {
  if ((env.STIPEND_BAMBOOHR_API_KEY === undefined) === (env.STIPEND_BAMBOOHR_API_KEY_FILE === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['STIPEND_BAMBOOHR_API_KEY'], message: 'set exactly one of STIPEND_BAMBOOHR_API_KEY and STIPEND_BAMBOOHR_API_KEY_FILE' });
  }
  if (env.STIPEND_BAMBOOHR_JOB_LEVEL_MAP !== undefined && env.STIPEND_BAMBOOHR_JOB_LEVEL_FIELD === undefined) {
    ctx.addIssue({ code: 'custom', path: ['STIPEND_BAMBOOHR_JOB_LEVEL_MAP'], message: 'needs STIPEND_BAMBOOHR_JOB_LEVEL_FIELD (the field it maps)' });
  }
});

export type HrisEnv = z.infer<typeof hrisEnvSchema>;
