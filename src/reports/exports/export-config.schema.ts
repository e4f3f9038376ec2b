import { z } from 'zod';
import { isValidTimeZone } from '../../ledger/period.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides, type Catalog } from '../../pricing/catalog.ts';
import type { GlMapping } from '../gl-mapping/gl-mapping.schema.ts';
import { loadGlMapping } from '../gl-mapping/load-gl-mapping.ts';
import { vendorDisplayName } from '../invoicing-vendor.ts';
import { ConfigError, parseEnv } from '../parse-env.ts';

const DAY_MS = 86_400_000;

/** How the books are kept: the month's time zone, the GL mapping file, FOCUS billing account, period close. */
export const exportEnvSchema = z
  .object({
    STIPEND_REPORT_TIME_ZONE: z.string().default('UTC').refine(isValidTimeZone, 'must be an IANA time zone'),
    /** The GL mapping (YAML): accounts, dimensions, date formats and memos per ERP. */
    STIPEND_GL_MAPPING_FILE: z.string().min(1).optional(),
    /** Pricing overrides (the gateway's): FOCUS list prices come from the same catalog. */
    STIPEND_PRICING_FILE: z.string().min(1).optional(),
    STIPEND_BILLING_ACCOUNT_ID: z.string().min(1).default('stipend'),
    STIPEND_BILLING_ACCOUNT_NAME: z.string().min(1).default('Stipend AI gateway'),
    /** A month may be closed this long after it ended; longer than the reservation deadline. */
    STIPEND_CLOSE_GRACE_MS: z.coerce.number().int().positive().default(DAY_MS),
    STIPEND_RESERVATION_TTL_MS: z.coerce.number().int().positive().default(900_000),
  })
  .refine((e) => e.STIPEND_CLOSE_GRACE_MS > e.STIPEND_RESERVATION_TTL_MS, {
    message: 'must be longer than STIPEND_RESERVATION_TTL_MS: a request reserved before the month ended may settle until its deadline',
    path: ['STIPEND_CLOSE_GRACE_MS'],
  });

export interface ExportConfig {
  readonly timeZone: string;
  /** null: no mapping file; journal exports refuse and say how to configure one. */
  readonly mapping: GlMapping | null;
  readonly catalog: Catalog;
  readonly billingAccountId: string;
  readonly billingAccountName: string;
  readonly closeGraceMs: number;
}

/** Throws ConfigError naming the variable (or the mapping file's field) when a value is invalid. */
export function exportConfigFromEnv(env: NodeJS.ProcessEnv): ExportConfig {
  const e = parseEnv(exportEnvSchema, env);
  let catalog = defaultCatalog();
  if (e.STIPEND_PRICING_FILE) {
    try {
      catalog = createCatalog(defaultCatalog().list(), loadCatalogOverrides(e.STIPEND_PRICING_FILE));
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  return {
    timeZone: e.STIPEND_REPORT_TIME_ZONE,
    mapping: e.STIPEND_GL_MAPPING_FILE ? loadGlMapping(e.STIPEND_GL_MAPPING_FILE) : null,
    catalog,
    billingAccountId: e.STIPEND_BILLING_ACCOUNT_ID,
    billingAccountName: e.STIPEND_BILLING_ACCOUNT_NAME,
    closeGraceMs: e.STIPEND_CLOSE_GRACE_MS,
  };
}

/** Defaults without a mapping: FOCUS and reports work, journals refuse. */
export const DEFAULT_EXPORT_CONFIG: ExportConfig = exportConfigFromEnv({});

/** A maker's display name (the monthly report's spend per provider); the GL mapping's `vendors` names win. */
export function providerDisplayName(provider: string, mapping?: GlMapping | null): string {
  return vendorDisplayName(provider, mapping?.vendors);
}
