import { parseArgs } from 'node:util';
import { deliveryEnvSchema, retryPolicyFrom, sendersFrom } from '../../alerts/alerts-config.schema.ts';
import { alertRulesEnvSchema, alertRulesFrom } from '../../alerts/alert-rules.schema.ts';
import { dispatchAlerts, watchAlerts, type AlertOptions } from '../../alerts/dispatch-alerts.ts';
import { evaluateAlerts } from '../../alerts/evaluate-alerts.ts';
import { ConfigError, parseEnv } from '../../reports/parse-env.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';

/**
 * `stipend alerts`: evaluate forecasts and anomalies, then deliver due alerts once (CronJob),
 * or keep doing so with --watch.
 */
export async function alertsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { watch: { type: 'boolean', default: false } } });
  let env;
  let rulesEnv;
  try {
    env = parseEnv(deliveryEnvSchema, process.env);
    rulesEnv = parseEnv(alertRulesEnvSchema, process.env);
  } catch (error) {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const handle = databaseFromEnv('stipend-alerts');
  const deps = { db: handle.db, senders: sendersFrom(env), retry: retryPolicyFrom(env), logger };
  if (!deps.senders.email) logger.warn('STIPEND_SMTP_URL is not set: email deliveries are skipped');
  const rules = alertRulesFrom(rulesEnv);
  const options: AlertOptions = {
    financeRecipients: rules.financeRecipients,
    evaluate: async () => logger.info(await evaluateAlerts(handle.db, new Date(), rules), 'alerts evaluated'),
    evaluateEveryMs: rulesEnv.STIPEND_ALERTS_EVALUATE_MS,
  };
  if (!values.watch) {
    try {
      await options.evaluate!();
      const result = await dispatchAlerts(deps, options);
      logger.info(result, 'alerts dispatched');
    } finally {
      await handle.close();
    }
    return;
  }
  const watcher = await watchAlerts(
    handle,
    deps,
    env.STIPEND_ALERTS_POLL_MS,
    (r) => {
      if (r.sent + r.failed + r.retrying + r.skipped > 0) logger.info(r, 'alerts dispatched');
    },
    options,
  );
  logger.info({ pollMs: env.STIPEND_ALERTS_POLL_MS }, 'watching for budget alerts');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await watcher.stop();
  await handle.close();
}
