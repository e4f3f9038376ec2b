import { buildAdminApp } from '../../admin/admin-app.ts';
import { adminEnvSchema } from '../../admin/admin-config.schema.ts';
import { ScimConfigError, scimConfigFromEnv } from '../../identity/scim/scim-config.schema.ts';
import { exportConfigFromEnv } from '../../reports/exports/export-config.schema.ts';
import { ConfigError, parseEnv } from '../../reports/parse-env.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';

/** `stipend admin`: the finance API and dashboard on their own port (tokens from a Secret). */
export async function adminCommand(args: string[]): Promise<void> {
  if (args.length > 0) throw new CliError('usage: stipend admin   (configured by STIPEND_ADMIN_TOKENS, STIPEND_ADMIN_PORT, STIPEND_SCIM_TOKENS, …)');
  let env;
  let exportConfig;
  let scim;
  try {
    env = parseEnv(adminEnvSchema, process.env);
    exportConfig = exportConfigFromEnv(process.env);
    scim = scimConfigFromEnv(process.env);
  } catch (error) {
    throw error instanceof ConfigError || error instanceof ScimConfigError ? new CliError(error.message) : error;
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const handle = databaseFromEnv('stipend-admin');
  const app = buildAdminApp({ db: handle.db, adminTokens: env.STIPEND_ADMIN_TOKENS, readOnlyTokens: env.STIPEND_ADMIN_READONLY_TOKENS, exportConfig, logger, scim });
  await app.listen({ host: env.STIPEND_ADMIN_HOST, port: env.STIPEND_ADMIN_PORT });
  logger.info(scim ? { scim: '/scim/v2' } : {}, scim ? 'SCIM 2.0 served under /scim/v2' : 'SCIM not served (no STIPEND_SCIM_TOKENS / STIPEND_SCIM_TOKENS_FILE)');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await app.close();
  await handle.close();
}
