import { ConfigError, parseEnv, type Env } from '../../config/parse-env.ts';
import { exportEnvSchema, type ExportEnv } from '../../config/reports-config.schema.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides, type Catalog } from '../../pricing/catalog.ts';
import type { GlMapping } from '../gl-mapping/gl-mapping.schema.ts';
import { loadGlMapping } from '../gl-mapping/load-gl-mapping.ts';
import { vendorDisplayName } from '../invoicing-vendor.ts';

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
export function exportConfigFromEnv(env: Env): ExportConfig {
  return exportConfigFrom(parseEnv(exportEnvSchema, env));
}

/** The books' configuration from config/reports-config.schema.ts's export variables (reads the mapping and pricing files). */
export function exportConfigFrom(e: ExportEnv): ExportConfig {
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
