import { randomBytes } from 'node:crypto';
import { createOidcLogin, type OidcLogin } from '../identity/portal/oidc-login.ts';
import type { PortalConfig } from '../identity/portal/portal-config.schema.ts';
import { createSessions, type Sessions } from '../identity/portal/sso-session.ts';
import { listenDevOidcProvider, type DevOidcUser } from './dev-oidc-provider.ts';
import type { DevEndpoint } from './dev-json.ts';

export const DEV_ADMIN_GROUP = 'stipend-admins';
export const DEV_READONLY_GROUP = 'stipend-auditors';
/** Demo accounts beside the people of the policy folder: IT with admin access, finance read-only. */
export const DEV_ADMIN_EMAIL = 'it-admin@acme.example';
export const DEV_AUDITOR_EMAIL = 'auditor@acme.example';
const CLIENT_ID = 'stipend-portal';

export interface DevSso {
  readonly sso: { readonly config: PortalConfig; readonly login: OidcLogin; readonly sessions: Sessions };
  readonly portal: DevEndpoint;
  readonly oidc: DevEndpoint;
  readonly password: string;
  close(): Promise<void>;
}

/**
 * Dev mode's sign-in: an embedded OpenID provider (oidc-provider) whose users are the demo
 * people (one password for all, kept per data dir) plus a demo admin and a read-only
 * auditor, and the portal's configuration pointing at it.
 */
export async function startDevSso(options: {
  readonly host: string;
  readonly oidcPort: number;
  readonly adminUrl: string;
  readonly gatewayUrl: string;
  readonly people: readonly { readonly email: string; readonly name: string | null }[];
  readonly previous: { readonly password?: string; readonly clientSecret?: string } | null;
}): Promise<DevSso> {
  const provider = await listenDevOidcProvider(options.host, options.oidcPort);
  try {
    const password = options.previous?.password && options.previous.password.length >= 12 ? options.previous.password : randomBytes(9).toString('base64url');
    const clientSecret = options.previous?.clientSecret && options.previous.clientSecret.length >= 16 ? options.previous.clientSecret : randomBytes(24).toString('base64url');
    const users: DevOidcUser[] = [
      ...options.people.map((p) => ({ email: p.email, name: p.name, password, groups: [] })),
      { email: DEV_ADMIN_EMAIL, name: 'IT Admin (demo)', password, groups: [DEV_ADMIN_GROUP] },
      { email: DEV_AUDITOR_EMAIL, name: 'Finance Auditor (demo)', password, groups: [DEV_READONLY_GROUP] },
    ];
    await provider.configure({ clientId: CLIENT_ID, clientSecret, redirectUris: [`${options.adminUrl}/portal/callback`] }, users);
    const config: PortalConfig = {
      issuer: new URL(provider.issuer),
      clientId: CLIENT_ID,
      clientSecret,
      scopes: 'openid email profile groups',
      emailClaim: 'email',
      groupsClaim: 'groups',
      adminGroups: [DEV_ADMIN_GROUP],
      readOnlyGroups: [DEV_READONLY_GROUP],
      publicUrl: new URL(options.adminUrl),
      // Sessions end with the process: a restart signs everyone out, nothing to keep.
      sessionSecret: randomBytes(32).toString('base64url'),
      sessionTtlSeconds: 8 * 3600,
      gatewayUrl: options.gatewayUrl,
      maxKeys: 5,
    };
    return {
      sso: { config, login: createOidcLogin(config), sessions: createSessions(config) },
      portal: { url: `${options.adminUrl}/portal`, users: users.map((u) => ({ email: u.email, password, ...(u.groups.length ? { groups: [...u.groups] } : {}) })) },
      oidc: { url: provider.issuer, clientId: CLIENT_ID, clientSecret },
      password,
      close: () => provider.close(),
    };
  } catch (error) {
    await provider.close();
    throw error;
  }
}
