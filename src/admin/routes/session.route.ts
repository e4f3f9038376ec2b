import type { FastifyPluginAsync } from 'fastify';
import type { Access } from '../admin-auth.ts';
import { requestToken } from '../admin-auth.ts';
import { AdminError } from '../admin-errors.ts';
import { clearedSessionCookie, csrfTokenFor, sessionCookie } from '../session.ts';

export interface SessionRoutesOptions {
  readonly check: (token: string) => Access | null;
}

/**
 * The login link: `/login?token=…` checks the token, stores it in an HttpOnly cookie and
 * redirects to the dashboard, so the token leaves the address bar at once.
 */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, { check }) => {
  app.get('/login', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    if (typeof token !== 'string' || !check(token)) throw new AdminError('unauthorized', 'This login link is not valid: ask for a new one (stipend dev prints it, dev.json lists it).');
    const secure = request.protocol === 'https';
    return reply.header('set-cookie', sessionCookie(token, secure)).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect('/dashboard', 303);
  });
  app.post('/logout', async (_request, reply) => reply.header('set-cookie', clearedSessionCookie()).send({ loggedOut: true }));
  app.get('/api/session', async (request) => ({
    access: request.access,
    actor: request.actor?.actor ?? null,
    // A cookie session's own token; for Bearer/Basic (no CSRF needed) the token's HMAC, as before.
    csrfToken: request.csrfExpected ?? csrfTokenFor(requestToken(request) ?? ''),
  }));
};
