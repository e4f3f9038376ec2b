import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit-log/audit-log.repository.ts';
import { requestActor } from '../audit-log/request-actor.ts';
import type { Sessions } from '../identity/portal/sso-session.ts';
import { AdminError } from './admin-errors.ts';
import { CSRF_HEADER, csrfTokenFor, sessionCookieFrom } from './session.ts';

export type Access = 'admin' | 'read';

declare module 'fastify' {
  interface FastifyRequest {
    access?: Access;
    /** The CSRF token a state change must carry: set for cookie sessions (login link or SSO), null for Bearer/Basic. */
    csrfExpected?: string | null;
    /** Who is acting, for the audit log. */
    actor?: AuditActor;
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks a presented token against every configured one in constant time: tokens are
 * compared as SHA-256 digests (equal length), and every configured token is compared,
 * so neither length nor position leaks through timing.
 */
export function createTokenCheck(adminTokens: readonly string[], readOnlyTokens: readonly string[]) {
  const known = [...adminTokens.map((t) => ({ d: digest(t), access: 'admin' as const })), ...readOnlyTokens.map((t) => ({ d: digest(t), access: 'read' as const }))];
  return (presented: string): Access | null => {
    const d = digest(presented);
    let access: Access | null = null;
    for (const k of known) if (timingSafeEqual(d, k.d) && access !== 'admin') access = k.access;
    return access;
  };
}

/** The token from `Authorization: Bearer …`, or the password of `Basic …` (so browsers can log in to the dashboard). */
export function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value.trim() || null;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || null : null;
  }
  return null;
}

/** An admin token in the audit log: a fingerprint that names it without revealing it. */
export const tokenActor = (token: string): string => `token:${digest(token).toString('hex').slice(0, 12)}`;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: a static token (Bearer, Basic, or the login link's cookie), or a person
 * signed in with SSO whose groups gave them admin or read-only access. Static tokens stay
 * for automation; SSO is for people.
 */
export function authenticate(check: (token: string) => Access | null, request: FastifyRequest, sso: { readonly sessions: Sessions; readonly now: () => Date } | null = null): Access {
  const header = presentedToken(request);
  const cookie = header ? null : sessionCookieFrom(request);
  const token = header ?? cookie;
  if (token) {
    const access = check(token);
    if (!access) throw new AdminError('unauthorized', cookie ? 'The login has expired or its token was removed: open the login link again.' : 'Invalid admin token.');
    request.csrfExpected = cookie ? csrfTokenFor(cookie) : null;
    request.actor = requestActor(request, tokenActor(token), 'admin-token', access);
    return access;
  }
  const session = sso?.sessions.read(request.headers.cookie, sso.now()) ?? null;
  if (session) {
    if (!session.access) throw new AdminError('forbidden', `You are signed in as ${session.email}, but none of your groups gives access to the admin dashboard.`);
    request.csrfExpected = session.csrf;
    request.actor = requestActor(request, session.email, 'sso', session.access);
    return session.access;
  }
  throw new AdminError('unauthorized', sso ? 'Missing credentials: sign in at /portal/login?next=/dashboard, or send Authorization: Bearer <admin token>.' : 'Missing credentials: send Authorization: Bearer <admin token>.');
}

/**
 * A browser sends cookies on requests other sites trigger too: a change made with a cookie
 * session must carry the session's CSRF token, in the x-stipend-csrf header (scripts) or a
 * `csrf` form field (the dashboard's forms). Runs after the body is parsed.
 */
export function checkCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || !request.csrfExpected) return;
  const body = request.body;
  const field = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).csrf : undefined;
  const presented = request.headers[CSRF_HEADER] ?? field;
  const expected = Buffer.from(request.csrfExpected);
  const given = Buffer.from(typeof presented === 'string' ? presented : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AdminError('forbidden', `A change made with a login cookie needs the ${CSRF_HEADER} header (from GET /api/session) or the page's csrf form field.`);
  }
}

/** The token that authenticated this request (header or cookie), for the session endpoint. */
export function requestToken(request: FastifyRequest): string | null {
  return presentedToken(request) ?? sessionCookieFrom(request);
}

export function requireAdmin(request: FastifyRequest, what = 'revoking keys'): void {
  if (request.access !== 'admin') throw new AdminError('forbidden', `This access is read-only; ${what} needs an admin.`);
}
