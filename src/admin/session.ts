import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** The dashboard's login cookie: holds the admin token itself, HttpOnly, so page scripts never see it. */
export const SESSION_COOKIE = 'stipend_admin';

/** Header a cookie-authenticated state-changing request must carry (GET /api/session returns its value). */
export const CSRF_HEADER = 'x-stipend-csrf';

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** Derived from the session's token: a forged cross-site request cannot know it, and it needs no storage. */
export const csrfTokenFor = (token: string): string => createHmac('sha256', token).update('stipend-csrf').digest('base64url');

export function sessionCookieFrom(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function sessionCookie(token: string, secure: boolean): string {
  // Lax, not Strict: a login link opened from a chat or a terminal is a cross-site navigation.
  // Cross-site POSTs carry no cookie under Lax, and the CSRF header covers same-site ones.
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
}

export const clearedSessionCookie = (): string => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
