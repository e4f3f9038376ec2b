import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { OidcLogin } from '../identity/portal/oidc-login.ts';
import type { PortalConfig } from '../identity/portal/portal-config.schema.ts';
import { portalRoutes } from '../identity/portal/portal.route.ts';
import type { Sessions } from '../identity/portal/sso-session.ts';
import { defaultCatalog, type Catalog } from '../pricing/catalog.ts';
import type { ScimConfig } from '../identity/scim/scim-config.schema.ts';
import { SCIM_PREFIX, scimPlugin } from '../identity/scim/scim-plugin.ts';
import type { ExportConfig } from '../reports/exports/export-config.schema.ts';
import { authenticate, checkCsrf, createTokenCheck } from './admin-auth.ts';
import { AdminError, renderAdminError } from './admin-errors.ts';
import { OPENAPI_DOCUMENT } from './openapi.document.ts';
import { accessRoutes } from './routes/access.route.ts';
import { alertRoutes } from './routes/alerts.route.ts';
import { budgetRoutes } from './routes/budgets.route.ts';
import { dashboardRoutes } from './routes/dashboard.route.ts';
import { keyRoutes } from './routes/keys.route.ts';
import { reportRoutes } from './routes/reports.route.ts';
import { sessionRoutes } from './routes/session.route.ts';

export interface AdminDeps {
  readonly db: Db;
  readonly adminTokens: readonly string[];
  readonly readOnlyTokens?: readonly string[];
  readonly exportConfig: ExportConfig;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** The employee portal and admin SSO (OpenID Connect), when configured. */
  readonly sso?: { readonly config: PortalConfig; readonly login: OidcLogin; readonly sessions: Sessions };
  /** Serve on this (already listening) HTTP server instead of calling listen. */
  readonly server?: Server;
  /** Models the portal lists as allowed (the gateway's catalog). */
  readonly catalog?: Catalog;
  /** Serve SCIM 2.0 under /scim/v2 (its own bearer tokens); omitted: not served. */
  readonly scim?: ScimConfig | null;
}

const PUBLIC = new Set(['/healthz', '/api/openapi.json', '/login', '/login/sso']);
const FORM_LIMIT = 16 * 1024;

/** The portal authenticates its own routes (SSO session); the admin API and dashboard go through `authenticate`. */
const isPublic = (route: string) => PUBLIC.has(route) || route === '/portal' || route.startsWith('/portal/');

/** The admin app (finance API + dashboard). It does not listen: the CLI does, tests use inject or listen(0). */
export function buildAdminApp(deps: AdminDeps): FastifyInstance {
  const server = deps.server;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger as FastifyBaseLogger } : { logger: false }),
    // A server already listening (dev mode: its URL is needed before the app is built, for SSO's redirect URI).
    ...(server ? { serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => server.on('request', handler) } : {}),
  });
  const check = createTokenCheck(deps.adminTokens, deps.readOnlyTokens ?? []);
  const now = deps.now ?? (() => new Date());

  const sso = deps.sso ? { sessions: deps.sso.sessions, now } : null;
  // SCIM clients authenticate with SCIM tokens, checked by the SCIM plugin.
  const isScim = (url: string) => Boolean(deps.scim) && (url === SCIM_PREFIX || url.startsWith(`${SCIM_PREFIX}/`) || url.startsWith(`${SCIM_PREFIX}?`));

  // HTML forms (portal, access page) post urlencoded bodies; small, and parsed strictly into strings.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook('onRequest', async (request) => {
    if (isPublic(request.routeOptions.url ?? '') || isScim(request.url)) return;
    request.access = authenticate(check, request, sso);
  });
  app.addHook('preHandler', async (request) => {
    if (isPublic(request.routeOptions.url ?? '') || isScim(request.url)) return;
    checkCsrf(request);
  });
  app.setErrorHandler((error: FastifyError | AdminError, request, reply) => {
    if (error instanceof AdminError) {
      // A browser without credentials opening the dashboard is sent to the company sign-in.
      if (error.status === 401 && sso && request.method === 'GET' && /^\/(dashboard\b|$)/.test(request.url)) {
        return reply.redirect(`/portal/login?${new URLSearchParams({ next: request.url === '/' ? '/dashboard' : request.url })}`, 303);
      }
      if (error.status === 401) {
        // Browsers get a login prompt for the dashboard; API clients are told to use a bearer token.
        reply.header('www-authenticate', request.url.startsWith('/api/') ? 'Bearer realm="stipend-admin"' : 'Basic realm="Stipend admin", charset="UTF-8"');
      }
      return reply.status(error.status).send(renderAdminError(error));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(400).send(renderAdminError(new AdminError('invalid_query', error.message)));
    }
    request.log.error({ err: error }, 'admin request failed');
    return reply.status(500).send(renderAdminError(new AdminError('internal_error', 'Internal error; see the server log.')));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(renderAdminError(new AdminError('not_found', `Unknown route ${request.method} ${request.url.split('?')[0]}.`))),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/api/openapi.json', async () => OPENAPI_DOCUMENT);
  app.register(reportRoutes, { db: deps.db, exportConfig: deps.exportConfig, now });
  app.register(budgetRoutes, { db: deps.db, now });
  app.register(alertRoutes, { db: deps.db });
  app.register(keyRoutes, { db: deps.db });
  app.register(sessionRoutes, { check });
  app.register(accessRoutes, { db: deps.db });
  if (deps.sso) {
    app.register(portalRoutes, { db: deps.db, config: deps.sso.config, login: deps.sso.login, sessions: deps.sso.sessions, catalog: deps.catalog ?? defaultCatalog(), now });
    app.get('/login/sso', async (_request, reply) => reply.redirect('/portal/login?next=%2Fdashboard', 303));
  }
  if (deps.scim) app.register(scimPlugin, { prefix: SCIM_PREFIX, db: deps.db, config: deps.scim });
  app.register(dashboardRoutes, { db: deps.db, now, timeZone: deps.exportConfig.timeZone, exportConfig: deps.exportConfig });
  return app;
}
