import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PortalConfig } from './portal-config.schema.ts';
import { clearCookie, createSealer, readCookie, setCookie } from './sealed-cookie.ts';
import type { LoginState } from './oidc-login.ts';

export type AdminAccess = 'admin' | 'read';

/** A signed-in person: employee always (the portal), admin or read-only when a group says so. */
export interface SsoSession {
  readonly sub: string;
  readonly email: string;
  readonly name: string | null;
  readonly access: AdminAccess | null;
  /** Bound to this session: every state change must echo it (form field or header). */
  readonly csrf: string;
}

export const SESSION_COOKIE = 'stipend_session';
const LOGIN_COOKIE = 'stipend_login';
const LOGIN_PATH = '/portal/callback';
const LOGIN_TTL_S = 600;

const sessionSchema = z.object({
  sub: z.string().min(1),
  email: z.string().min(3),
  name: z.string().nullable(),
  access: z.enum(['admin', 'read']).nullable(),
  csrf: z.string().min(20),
});

const loginSchema = z.object({ state: z.string().min(1), nonce: z.string().min(1), verifier: z.string().min(43), next: z.string() });

/** Which access a person's groups give: admin wins over read-only; no group, no admin access. */
export function accessFromClaims(claims: Readonly<Record<string, unknown>>, config: Pick<PortalConfig, 'groupsClaim' | 'adminGroups' | 'readOnlyGroups'>): AdminAccess | null {
  const raw = claims[config.groupsClaim];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  if (groups.some((g) => config.adminGroups.includes(g))) return 'admin';
  if (groups.some((g) => config.readOnlyGroups.includes(g))) return 'read';
  return null;
}

/** The person's email from the configured claim; refused when the IdP says it is not verified. */
export function emailFromClaims(claims: Readonly<Record<string, unknown>>, emailClaim: string): string | null {
  const value = claims[emailClaim];
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(value)) return null;
  if (claims.email_verified === false && emailClaim === 'email') return null;
  return value.toLowerCase();
}

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface Sessions {
  /** A new session from the IdP's claims: the Set-Cookie header and the session. */
  issue(identity: Omit<SsoSession, 'csrf'>, now: Date): { readonly cookie: string; readonly session: SsoSession };
  read(cookieHeader: string | undefined, now: Date): SsoSession | null;
  clear(): string;
  loginCookie(state: LoginState, now: Date): string;
  readLogin(cookieHeader: string | undefined, now: Date): LoginState | null;
  clearLogin(): string;
  readonly secure: boolean;
}

export function createSessions(config: Pick<PortalConfig, 'sessionSecret' | 'sessionTtlSeconds' | 'publicUrl'>): Sessions {
  const sessions = createSealer(config.sessionSecret, 'session');
  const logins = createSealer(config.sessionSecret, 'oidc-login');
  // Secure from the public URL, not the request: TLS usually ends at the ingress.
  const secure = config.publicUrl.protocol === 'https:';
  return {
    secure,
    issue(identity, now) {
      const session: SsoSession = { ...identity, csrf: randomBytes(24).toString('base64url') };
      const value = sessions.seal({ ...session }, new Date(now.getTime() + config.sessionTtlSeconds * 1000));
      return { session, cookie: setCookie(SESSION_COOKIE, value, { path: '/', maxAgeSeconds: config.sessionTtlSeconds, secure }) };
    },
    read(header, now) {
      const value = readCookie(header, SESSION_COOKIE);
      const payload = value ? sessions.unseal(value, now) : null;
      const parsed = payload ? sessionSchema.safeParse(payload) : null;
      return parsed?.success ? parsed.data : null;
    },
    clear: () => clearCookie(SESSION_COOKIE, '/', secure),
    loginCookie(state, now) {
      return setCookie(LOGIN_COOKIE, logins.seal({ ...state }, new Date(now.getTime() + LOGIN_TTL_S * 1000)), { path: LOGIN_PATH, maxAgeSeconds: LOGIN_TTL_S, secure });
    },
    readLogin(header, now) {
      const value = readCookie(header, LOGIN_COOKIE);
      const payload = value ? logins.unseal(value, now) : null;
      const parsed = payload ? loginSchema.safeParse(payload) : null;
      return parsed?.success ? parsed.data : null;
    },
    clearLogin: () => clearCookie(LOGIN_COOKIE, LOGIN_PATH, secure),
  };
}
