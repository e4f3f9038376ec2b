import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit-log/audit-log.repository.ts';
import { requestActor } from '../../audit-log/request-actor.ts';
import type { Db } from '../../db/database.ts';
import { AccessSuspendedError, createApiKey, revokeApiKeys, rotateApiKey, TooManyKeysError, UnknownKeyError, UnknownPersonError } from '../../keys/api-keys.repository.ts';
import type { Catalog } from '../../pricing/catalog.ts';
import { IdpUnavailableError, LoginFailedError, type OidcLogin } from './oidc-login.ts';
import type { PortalConfig } from './portal-config.schema.ts';
import { findPortalPerson, portalData } from './portal-data.ts';
import { landingPage, messagePage, PORTAL_CSP, portalPage, type PortalView } from './portal.page.ts';
import { accessFromClaims, emailFromClaims, safeEqual, type Sessions, type SsoSession } from './sso-session.ts';

export interface PortalRoutesOptions {
  readonly db: Db;
  readonly config: PortalConfig;
  readonly login: OidcLogin;
  readonly sessions: Sessions;
  readonly catalog: Catalog;
  readonly now: () => Date;
}

const KEY_ID = /^\d{1,18}$/;

/** A path on this server to return to after signing in (never another origin). */
export const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length <= 512 ? next : '/portal');

/**
 * The employee portal: OpenID Connect sign-in (code + PKCE), then the person's budgets,
 * models, requests and keys. Sessions are sealed cookies; every POST carries the session's
 * CSRF token; every key change is audited in the same transaction.
 */
export const portalRoutes: FastifyPluginAsync<PortalRoutesOptions> = async (app, { db, config, login, sessions, catalog, now }) => {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).type('text/html; charset=utf-8').header('content-security-policy', PORTAL_CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY').send(body);

  const sessionOf = (request: FastifyRequest) => sessions.read(request.headers.cookie, now());

  /** A signed-in session with a CSRF token matching the form's, else the reply is sent. */
  const changeAllowed = (request: FastifyRequest, reply: FastifyReply): SsoSession | null => {
    const session = sessionOf(request);
    if (!session) {
      void html(reply, 401, messagePage('Signed out', 'Your session has ended or is not valid: sign in again.', { href: '/portal/login', label: 'Sign in' }));
      return null;
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.csrf === 'string' ? body.csrf : request.headers['x-stipend-csrf'];
    if (typeof token !== 'string' || !safeEqual(token, session.csrf)) {
      void html(reply, 403, messagePage('Refused', 'This change did not come from your portal page (its CSRF token is missing or wrong). Reload the portal and try again.'));
      return null;
    }
    return session;
  };

  const view = async (session: SsoSession, extra: Partial<PortalView> = {}): Promise<string> => {
    const person = await findPortalPerson(db, session.email);
    const data = person ? await portalData(db, person, catalog, now()) : null;
    return portalPage({ data, email: session.email, name: session.name, csrf: session.csrf, gatewayUrl: config.gatewayUrl, maxKeys: config.maxKeys, adminAccess: session.access, ...extra });
  };

  const actor = (request: FastifyRequest, session: SsoSession) => requestActor(request, session.email, 'portal', session.access ?? 'employee');

  app.get('/portal', async (request, reply) => {
    const session = sessionOf(request);
    if (!session) return html(reply, 200, landingPage(null));
    const notice = (request.query as Record<string, unknown>).notice === 'revoked' ? 'The key was revoked: every gateway refuses it within a second.' : undefined;
    return html(reply, 200, await view(session, notice ? { notice } : {}));
  });

  app.get('/portal/login', async (request, reply) => {
    try {
      const { url, state } = await login.start(safeNext((request.query as Record<string, unknown>).next));
      return reply.header('set-cookie', sessions.loginCookie(state, now())).header('cache-control', 'no-store').redirect(url.href, 302);
    } catch (error) {
      if (error instanceof IdpUnavailableError) {
        request.log.warn({ err: error }, 'sign-in provider unavailable');
        return html(reply, 503, messagePage('Sign-in unavailable', 'The company sign-in service cannot be reached right now. Try again in a minute.', { href: '/portal/login', label: 'Try again' }));
      }
      throw error;
    }
  });

  app.get('/portal/callback', async (request, reply) => {
    const state = sessions.readLogin(request.headers.cookie, now());
    reply.header('set-cookie', sessions.clearLogin());
    const query = request.query as Record<string, unknown>;
    if (typeof query.error === 'string') {
      const text = typeof query.error_description === 'string' ? `${query.error}: ${query.error_description}` : query.error;
      return html(reply, 403, messagePage('Not signed in', `The sign-in provider refused: ${text.slice(0, 300)}`, { href: '/portal/login', label: 'Try again' }));
    }
    if (!state) return html(reply, 400, messagePage('Sign-in expired', 'This sign-in was started too long ago or in another browser. Start again.', { href: '/portal/login', label: 'Sign in' }));
    let claims: Readonly<Record<string, unknown>>;
    try {
      const callback = new URL(request.url, config.publicUrl);
      claims = await login.finish(callback, state);
    } catch (error) {
      if (error instanceof IdpUnavailableError) return html(reply, 503, messagePage('Sign-in unavailable', 'The company sign-in service cannot be reached right now. Try again in a minute.', { href: '/portal/login', label: 'Try again' }));
      if (error instanceof LoginFailedError) {
        request.log.warn({ reason: error.message }, 'sign-in refused');
        return html(reply, 403, messagePage('Not signed in', `The sign-in could not be verified (${error.message}). Start again.`, { href: '/portal/login', label: 'Sign in' }));
      }
      throw error;
    }
    const email = emailFromClaims(claims, config.emailClaim);
    if (!email) {
      return html(reply, 403, messagePage('Not signed in', `The sign-in provider sent no verified email in the '${config.emailClaim}' claim: ask your IT team to release it to this application.`, null));
    }
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : null;
    const access = accessFromClaims(claims, config);
    const { cookie, session } = sessions.issue({ sub: String(claims.sub), email, name, access }, now());
    await recordAudit(db, actor(request, session), { action: 'session.login', target: `person:${email}`, details: { access, sub: String(claims.sub) } });
    const next = state.next.startsWith('/dashboard') || state.next.startsWith('/api/') ? (access ? state.next : '/portal') : state.next;
    return reply.header('set-cookie', cookie).header('cache-control', 'no-store').redirect(next, 303);
  });

  app.post('/portal/logout', async (request, reply) => {
    const session = changeAllowed(request, reply);
    if (!session) return reply;
    await recordAudit(db, actor(request, session), { action: 'session.logout', target: `person:${session.email}` });
    return reply.header('set-cookie', sessions.clear()).redirect('/portal', 303);
  });

  app.post('/portal/keys', async (request, reply) => {
    const session = changeAllowed(request, reply);
    if (!session) return reply;
    const raw = ((request.body ?? {}) as Record<string, unknown>).name;
    const name = typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 64) : null;
    try {
      const created = await createApiKey(db, session.email, name, { audit: actor(request, session), maxActive: config.maxKeys });
      return html(reply, 201, await view(session, { newKey: { key: created.key, name, rotated: false } }));
    } catch (error) {
      return keyError(error, session, reply);
    }
  });

  app.post('/portal/keys/:id/rotate', async (request, reply) => {
    const session = changeAllowed(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const person = await findPortalPerson(db, session.email);
    if (!person || !KEY_ID.test(id)) return html(reply, 404, await view(session, { error: 'No such key of yours.' }));
    try {
      const created = await rotateApiKey(db, person.id, BigInt(id), { audit: actor(request, session) });
      return html(reply, 200, await view(session, { newKey: { key: created.key, name: null, rotated: true } }));
    } catch (error) {
      return keyError(error, session, reply);
    }
  });

  app.post('/portal/keys/:id/revoke', async (request, reply) => {
    const session = changeAllowed(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const person = await findPortalPerson(db, session.email);
    if (!person || !KEY_ID.test(id)) return html(reply, 404, await view(session, { error: 'No such key of yours.' }));
    // Both the key id and the person must match: nobody revokes another person's key here.
    const n = await revokeApiKeys(db, { id: BigInt(id), personId: person.id }, { audit: actor(request, session) });
    if (n === 0) return html(reply, 404, await view(session, { error: 'No such active key of yours.' }));
    return reply.redirect('/portal?notice=revoked', 303);
  });

  async function keyError(error: unknown, session: SsoSession, reply: FastifyReply) {
    if (error instanceof TooManyKeysError) return html(reply, 409, await view(session, { error: `You already have the most active keys allowed (${config.maxKeys}): revoke one first.` }));
    if (error instanceof AccessSuspendedError) return html(reply, 403, await view(session, { error: 'Your access is suspended by an admin: no new keys.' }));
    if (error instanceof UnknownKeyError) return html(reply, 404, await view(session, { error: 'No such active key of yours.' }));
    if (error instanceof UnknownPersonError) return html(reply, 403, await view(session, { error: 'Stipend has no active person with your email: ask your platform team.' }));
    throw error;
  }
};
