import { createOidcLogin } from '../identity/portal/oidc-login.ts';
import { portalConfigFromEnv, portalEnvSchema } from '../identity/portal/portal-config.schema.ts';
import { createSessions } from '../identity/portal/sso-session.ts';
import { createCatalog, defaultCatalog, loadCatalogOverrides, type Catalog } from '../pricing/catalog.ts';
import { parseEnv } from '../reports/parse-env.ts';

/** The portal and admin SSO from the environment, or undefined when STIPEND_OIDC_ISSUER is not set. */
export function ssoFromEnv(env: NodeJS.ProcessEnv) {
  const config = portalConfigFromEnv(parseEnv(portalEnvSchema, env));
  if (!config) return undefined;
  return { config, login: createOidcLogin(config), sessions: createSessions(config) };
}

/** The models the portal lists: the gateway's catalog, with the same overrides file. */
export function catalogFromEnv(env: NodeJS.ProcessEnv): Catalog {
  const overrides = env.STIPEND_PRICING_FILE ? loadCatalogOverrides(env.STIPEND_PRICING_FILE) : [];
  return overrides.length > 0 ? createCatalog(defaultCatalog().list(), overrides) : defaultCatalog();
}
