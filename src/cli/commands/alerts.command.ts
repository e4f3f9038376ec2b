import { parseArgs } from 'node:util';
import { deliveryEnvSchema, retryPolicyFrom, sendersFrom } from '../../alerts/alerts-config.schema.ts';
import { dispatchAlerts, watchAlerts } from '../../alerts/dispatch-alerts.ts';
import { ConfigError, parseEnv } from '../../reports/parse-env.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';

/** `stipend alerts`: deliver due budget alerts once (CronJob), or keep delivering with --watch. */
export async function alertsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { watch: { type: 'boolean', default: false } } });
  let env;
  try {
    env = parseEnv(deliveryEnvSchema, process.env);
  } catch (error) {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const handle = databaseFromEnv('stipend-alerts');
  const deps = { db: handle.db, senders: sendersFrom(env), retry: retryPolicyFrom(env), logger };
  if (!deps.senders.email) logger.warn('STIPEND_SMTP_URL is not set: email deliveries are skipped');
  if (!values.watch) {
    try {
      const result = await dispatchAlerts(deps);
      logger.info(result, 'alerts dispatched');
    } finally {
      await handle.close();
    }
    return;
  }
  const watcher = await watchAlerts(handle, deps, env.STIPEND_ALERTS_POLL_MS, (r) => {
    if (r.sent + r.failed + r.retrying + r.skipped > 0) logger.info(r, 'alerts dispatched');
  });
  logger.info({ pollMs: env.STIPEND_ALERTS_POLL_MS }, 'watching for budget alerts');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await watcher.stop();
  await handle.close();
}
