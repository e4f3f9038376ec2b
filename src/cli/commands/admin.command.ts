import { adminEnvSchema } from '../../admin/admin-config.schema.ts';
import { exportConfigFromEnv } from '../../reports/exports/export-config.schema.ts';
import { parseEnv } from '../../reports/parse-env.ts';
import { CliError } from '../cli-error.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { untilSignal } from './gateway.command.ts';

export const adminCommand = defineCommand({
  name: 'admin',
  summary: 'the admin API, dashboard and employee portal (static tokens, or SSO through OpenID Connect)',
  options: {},
  details: `environment:
  STIPEND_DATABASE_URL            postgres://user:pass@host:5432/db
  STIPEND_ADMIN_TOKENS            comma-separated admin tokens (at least 16 characters each)
  STIPEND_ADMIN_READONLY_TOKENS   read-only tokens (reports, dashboard)
  STIPEND_ADMIN_HOST, STIPEND_ADMIN_PORT  where to listen (default 0.0.0.0:8790)
  STIPEND_SCIM_TOKENS             SCIM 2.0 bearer tokens (or sha256:<hex> digests), comma-separated;
                                  when set, /scim/v2 is served (docs/identity.md)
  STIPEND_SCIM_TOKENS_FILE        the same, one per line, from a mounted Secret
  STIPEND_SCIM_BASE_URL           public URL of /scim/v2 for meta.location (default: from the request)
  STIPEND_SCIM_JOB_LEVEL_FROM     the User attribute that gives the job level (e.g. title)
  STIPEND_SCIM_JOB_LEVEL_MAP      JSON: attribute value -> job level, e.g. {"Staff Engineer":6}

The dashboard accepts Authorization: Bearer <token>, Basic auth with the token as password,
or a login link /login?token=<token> that sets an HttpOnly session cookie.

SSO and the employee portal (/portal), on when STIPEND_OIDC_ISSUER is set (docs/identity.md):
  STIPEND_OIDC_ISSUER             the IdP's issuer URL (discovery), e.g. https://acme.okta.com
  STIPEND_OIDC_CLIENT_ID          the application's client id
  STIPEND_OIDC_CLIENT_SECRET      its secret (omit for a public client: PKCE only)
  STIPEND_OIDC_SCOPES             default "openid email profile" (Okta groups: add "groups")
  STIPEND_OIDC_EMAIL_CLAIM        default email (Entra without mail: preferred_username)
  STIPEND_OIDC_GROUPS_CLAIM       default groups
  STIPEND_OIDC_ADMIN_GROUPS       groups whose members are dashboard admins (comma-separated)
  STIPEND_OIDC_READONLY_GROUPS    groups whose members get read-only dashboard access
  STIPEND_PUBLIC_URL              this server as browsers reach it; redirect URI <url>/portal/callback
  STIPEND_SESSION_SECRET          at least 32 characters: seals the session cookies
  STIPEND_SESSION_TTL_HOURS       default 8
  STIPEND_GATEWAY_PUBLIC_URL      the gateway's URL, shown in the portal's client settings
  STIPEND_PORTAL_MAX_KEYS         active keys per person through the portal (default 5)`,
  examples: ['STIPEND_DATABASE_URL=postgres://… STIPEND_ADMIN_TOKENS=$(openssl rand -hex 24) stipend admin'],
  async run(ctx) {
    const env = parseEnv(adminEnvSchema, ctx.env);
    const exportConfig = exportConfigFromEnv(ctx.env);
    const { ScimConfigError, scimConfigFromEnv } = await import('../../identity/scim/scim-config.schema.ts');
    let scim;
    try {
      scim = scimConfigFromEnv(ctx.env);
    } catch (error) {
      throw error instanceof ScimConfigError ? new CliError(error.message) : error;
    }
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const [{ buildAdminApp }, { databaseFromEnv }, { ssoFromEnv, catalogFromEnv }] = await Promise.all([
      import('../../admin/admin-app.ts'),
      import('../database-from-env.ts'),
      import('../portal-from-env.ts'),
    ]);
    const sso = ssoFromEnv(ctx.env);
    const catalog = catalogFromEnv(ctx.env);
    const handle = databaseFromEnv('stipend-admin', ctx.env);
    const app = buildAdminApp({ db: handle.db, adminTokens: env.STIPEND_ADMIN_TOKENS, readOnlyTokens: env.STIPEND_ADMIN_READONLY_TOKENS, exportConfig, logger, scim, catalog, ...(sso ? { sso } : {}) });
    await app.listen({ host: env.STIPEND_ADMIN_HOST, port: env.STIPEND_ADMIN_PORT });
    logger.info(scim ? 'SCIM 2.0 served under /scim/v2' : 'SCIM not served (set STIPEND_SCIM_TOKENS or STIPEND_SCIM_TOKENS_FILE)');
    void untilSignal().then(async () => {
      await app.close();
      await handle.close();
    });
  },
});
