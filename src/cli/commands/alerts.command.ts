import { parseArgs } from 'node:util';
import { deliveryEnvSchema, retryPolicyFrom, sendersFrom } from '../../alerts/alerts-config.schema.ts';
import { alertRulesEnvSchema, alertRulesFrom } from '../../alerts/alert-rules.schema.ts';
import { dispatchAlerts, watchAlerts, type AlertOptions } from '../../alerts/dispatch-alerts.ts';
import { evaluateAlerts } from '../../alerts/evaluate-alerts.ts';
import { ConfigError, parseEnv } from '../../reports/parse-env.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';

const ALERTS_USAGE = `usage: stipend alerts [--watch]

Opens this period's wallets, writes forecast ("projected to exceed") and anomaly alerts,
adds the finance recipients, then delivers every due alert by email and webhook.
Threshold and exhausted alerts are written by the gateway's own transactions.

  --watch   keep running: deliver on every new alert, evaluate every STIPEND_ALERTS_EVALUATE_MS

Environment: STIPEND_DATABASE_URL, STIPEND_SMTP_URL, STIPEND_ALERT_WEBHOOK_URL,
STIPEND_FINANCE_ALERT_EMAILS, STIPEND_REPORT_TIME_ZONE, STIPEND_FORECAST_MIN_DAYS,
STIPEND_ANOMALY_FACTOR, STIPEND_ANOMALY_MIN_USD (docs/finance.md).
`;

/**
 * `stipend alerts`: evaluate forecasts and anomalies, then deliver due alerts once (CronJob),
 * or keep doing so with --watch.
 */
export async function alertsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { watch: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    process.stdout.write(ALERTS_USAGE);
    return;
  }
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
