import { z } from 'zod';

const list = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t.length > 0))
  .default([]);

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * The portal and admin SSO (env; the client secret and session secret from a Secret).
 * Without STIPEND_OIDC_ISSUER neither is served: the admin API keeps its static tokens.
 */
export const portalEnvSchema = z
  .object({
    /** The IdP's issuer URL; its /.well-known/openid-configuration is discovered. */
    STIPEND_OIDC_ISSUER: httpUrl.optional(),
    STIPEND_OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** Confidential client (client_secret_basic). Without one, a public client: PKCE only. */
    STIPEND_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    STIPEND_OIDC_SCOPES: z.string().default('openid email profile'),
    /** Where the person's email is (Entra without an email attribute: preferred_username or upn). */
    STIPEND_OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
    /** A claim listing the person's groups (Okta: groups; Entra: groups, or roles for app roles). */
    STIPEND_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /** Members of any of these groups sign in to the dashboard and admin API with full access. */
    STIPEND_OIDC_ADMIN_GROUPS: list,
    /** … with read-only access (reports, dashboard; no revoking). */
    STIPEND_OIDC_READONLY_GROUPS: list,
    /** The admin process's public URL, as browsers reach it; the redirect URI is <url>/portal/callback. */
    STIPEND_PUBLIC_URL: httpUrl.optional(),
    /** Encrypts and authenticates the session cookies (AES-256-GCM, keys derived with HKDF). */
    STIPEND_SESSION_SECRET: z.string().min(32, 'STIPEND_SESSION_SECRET must be at least 32 characters').optional(),
    STIPEND_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(8),
    /** The gateway's public base URL, shown in the ready-to-paste client settings. */
    STIPEND_GATEWAY_PUBLIC_URL: httpUrl.optional(),
    /** Active keys a person may hold through the portal. */
    STIPEND_PORTAL_MAX_KEYS: z.coerce.number().int().min(1).max(100).default(5),
  })
  .superRefine((env, ctx) => {
    if (!env.STIPEND_OIDC_ISSUER) return;
    for (const name of ['STIPEND_OIDC_CLIENT_ID', 'STIPEND_PUBLIC_URL', 'STIPEND_SESSION_SECRET'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required with STIPEND_OIDC_ISSUER` });
    }
  });

export type PortalEnv = z.infer<typeof portalEnvSchema>;

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
