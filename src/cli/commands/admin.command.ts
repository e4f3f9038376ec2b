import { adminEnvSchema } from '../../admin/admin-config.schema.ts';
import { exportConfigFromEnv } from '../../reports/exports/export-config.schema.ts';
import { parseEnv } from '../../reports/parse-env.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { untilSignal } from './gateway.command.ts';

export const adminCommand = defineCommand({
  name: 'admin',
  summary: 'the finance admin API and dashboard, on their own port (tokens from a Secret)',
  options: {},
  details: `environment:
  STIPEND_DATABASE_URL            postgres://user:pass@host:5432/db
  STIPEND_ADMIN_TOKENS            comma-separated admin tokens (at least 16 characters each)
  STIPEND_ADMIN_READONLY_TOKENS   read-only tokens (reports, dashboard)
  STIPEND_ADMIN_HOST, STIPEND_ADMIN_PORT  where to listen (default 0.0.0.0:8790)

The dashboard accepts Authorization: Bearer <token>, Basic auth with the token as password,
or a login link /login?token=<token> that sets an HttpOnly session cookie.`,
  examples: ['STIPEND_DATABASE_URL=postgres://… STIPEND_ADMIN_TOKENS=$(openssl rand -hex 24) stipend admin'],
  async run(ctx) {
    const env = parseEnv(adminEnvSchema, ctx.env);
    const exportConfig = exportConfigFromEnv(ctx.env);
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const [{ buildAdminApp }, { databaseFromEnv }] = await Promise.all([import('../../admin/admin-app.ts'), import('../database-from-env.ts')]);
    const handle = databaseFromEnv('stipend-admin', ctx.env);
    const app = buildAdminApp({ db: handle.db, adminTokens: env.STIPEND_ADMIN_TOKENS, readOnlyTokens: env.STIPEND_ADMIN_READONLY_TOKENS, exportConfig, logger });
    await app.listen({ host: env.STIPEND_ADMIN_HOST, port: env.STIPEND_ADMIN_PORT });
    void untilSignal().then(async () => {
      await app.close();
      await handle.close();
    });
  },
});
