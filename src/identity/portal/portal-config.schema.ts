import type { PortalEnv } from '../../config/portal-config.schema.ts';

/** What the portal and admin SSO need, once the env says SSO is on. */
export interface PortalConfig {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly scopes: string;
  readonly emailClaim: string;
  readonly groupsClaim: string;
  readonly adminGroups: readonly string[];
  readonly readOnlyGroups: readonly string[];
  readonly publicUrl: URL;
  readonly sessionSecret: string;
  readonly sessionTtlSeconds: number;
  readonly gatewayUrl: string | null;
  readonly maxKeys: number;
}

export function portalConfigFromEnv(env: PortalEnv): PortalConfig | null {
  if (!env.STIPEND_OIDC_ISSUER) return null;
  return {
    issuer: new URL(env.STIPEND_OIDC_ISSUER),
    clientId: env.STIPEND_OIDC_CLIENT_ID!,
    clientSecret: env.STIPEND_OIDC_CLIENT_SECRET ?? null,
    scopes: env.STIPEND_OIDC_SCOPES,
    emailClaim: env.STIPEND_OIDC_EMAIL_CLAIM,
    groupsClaim: env.STIPEND_OIDC_GROUPS_CLAIM,
    adminGroups: env.STIPEND_OIDC_ADMIN_GROUPS,
    readOnlyGroups: env.STIPEND_OIDC_READONLY_GROUPS,
    publicUrl: new URL(env.STIPEND_PUBLIC_URL!),
    sessionSecret: env.STIPEND_SESSION_SECRET!,
    sessionTtlSeconds: env.STIPEND_SESSION_TTL_HOURS * 3600,
    gatewayUrl: env.STIPEND_GATEWAY_PUBLIC_URL ?? null,
    maxKeys: env.STIPEND_PORTAL_MAX_KEYS,
  };
}
