import { createOidcLogin } from '../identity/portal/oidc-login.ts';
import type { PortalEnv } from '../config/portal-config.schema.ts';
import { portalConfigFromEnv } from '../identity/portal/portal-config.schema.ts';
import { createSessions } from '../identity/portal/sso-session.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides, type Catalog } from '../pricing/catalog.ts';

/** The portal and admin SSO from the parsed environment, or undefined when STIPEND_OIDC_ISSUER is not set. */
export function ssoFromEnv(env: PortalEnv) {
  const config = portalConfigFromEnv(env);
  if (!config) return undefined;
  return { config, login: createOidcLogin(config), sessions: createSessions(config) };
}

/** The models the portal lists: the gateway's catalog, with the same overrides file. */
export function catalogFromEnv(env: { readonly STIPEND_PRICING_FILE?: string | undefined }): Catalog {
  const overrides = env.STIPEND_PRICING_FILE ? loadCatalogOverrides(env.STIPEND_PRICING_FILE) : [];
  return overrides.length > 0 ? createCatalog(defaultCatalog().list(), overrides) : defaultCatalog();
}
