import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { ExportConfig } from '../reports/exports/export-config.schema.ts';
import { authenticate, createTokenCheck } from './admin-auth.ts';
import { AdminError, renderAdminError } from './admin-errors.ts';
import { OPENAPI_DOCUMENT } from './openapi.document.ts';
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
}

const PUBLIC = new Set(['/healthz', '/api/openapi.json', '/login']);

/** The admin app (finance API + dashboard). It does not listen: the CLI does, tests use inject or listen(0). */
export function buildAdminApp(deps: AdminDeps): FastifyInstance {
  const app = Fastify(deps.logger ? { loggerInstance: deps.logger as FastifyBaseLogger } : { logger: false });
  const check = createTokenCheck(deps.adminTokens, deps.readOnlyTokens ?? []);
  const now = deps.now ?? (() => new Date());

  app.addHook('onRequest', async (request) => {
    if (PUBLIC.has(request.routeOptions.url ?? '')) return;
    request.access = authenticate(check, request);
  });
  app.setErrorHandler((error: FastifyError | AdminError, request, reply) => {
    if (error instanceof AdminError) {
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
  app.register(reportRoutes, { db: deps.db, exportConfig: deps.exportConfig });
  app.register(budgetRoutes, { db: deps.db, now });
  app.register(alertRoutes, { db: deps.db });
  app.register(keyRoutes, { db: deps.db });
  app.register(sessionRoutes, { check });
  app.register(dashboardRoutes, { db: deps.db, now, timeZone: deps.exportConfig.timeZone, exportConfig: deps.exportConfig });
  return app;
}
