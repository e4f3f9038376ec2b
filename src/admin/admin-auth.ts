import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AdminError } from './admin-errors.ts';
import { CSRF_HEADER, csrfTokenFor, sessionCookieFrom } from './session.ts';

export type Access = 'admin' | 'read';

declare module 'fastify' {
  interface FastifyRequest {
    access?: Access;
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(check: (token: string) => Access | null, request: FastifyRequest): Access {
  const header = presentedToken(request);
  const cookie = header ? null : sessionCookieFrom(request);
  const token = header ?? cookie;
  if (!token) throw new AdminError('unauthorized', 'Missing credentials: send Authorization: Bearer <admin token>.');
  const access = check(token);
  if (!access) throw new AdminError('unauthorized', cookie ? 'The login has expired or its token was removed: open the login link again.' : 'Invalid admin token.');
  // A browser sends the cookie on requests other sites trigger too: changes need proof they come from our page.
  if (cookie && !SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== csrfTokenFor(cookie)) {
    throw new AdminError('forbidden', `A change made with the login cookie needs the ${CSRF_HEADER} header (from GET /api/session).`);
  }
  return access;
}

/** The token that authenticated this request (header or cookie), for the session endpoint. */
export function requestToken(request: FastifyRequest): string | null {
  return presentedToken(request) ?? sessionCookieFrom(request);
}

export function requireAdmin(request: FastifyRequest): void {
  if (request.access !== 'admin') throw new AdminError('forbidden', 'This token is read-only; revoking keys needs an admin token.');
}
