import type { AlertOptions } from '../../alerts/dispatch-alerts.ts';
import { parseEnv } from '../../reports/parse-env.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { DATABASE_ENV_HELP } from '../database-option.ts';
import { untilSignal } from './gateway.command.ts';

/**
 * `stipend alerts`: evaluate forecasts and anomalies, then deliver due alerts once (CronJob),
 * or keep doing so with --watch.
 */
export const alertsCommand = defineCommand({
  name: 'alerts',
  summary: 'evaluate forecasts and anomalies, deliver budget alerts (once, or --watch)',
  options: {
    watch: { type: 'boolean', default: false, description: 'keep running: deliver on every new alert, evaluate every STIPEND_ALERTS_EVALUATE_MS' },
  },
  details: `Opens this period's wallets, writes forecast ("projected to exceed") and anomaly alerts,
adds the finance recipients, then delivers every due alert by email and webhook.
Threshold and exhausted alerts are written by the gateway's own transactions.

${DATABASE_ENV_HELP}
  STIPEND_SMTP_URL, STIPEND_MAIL_FROM, STIPEND_ALERT_WEBHOOK_URL, STIPEND_FINANCE_ALERT_EMAILS,
  STIPEND_REPORT_TIME_ZONE, STIPEND_FORECAST_MIN_DAYS, STIPEND_ANOMALY_FACTOR, STIPEND_ANOMALY_MIN_USD,
  STIPEND_ALERTS_POLL_MS, STIPEND_ALERTS_EVALUATE_MS (docs/finance.md)`,
  examples: ['stipend alerts', 'STIPEND_SMTP_URL=smtp://mail:25 stipend alerts --watch'],
  async run(ctx) {
    const [{ deliveryEnvSchema, retryPolicyFrom, sendersFrom }, { alertRulesEnvSchema, alertRulesFrom }, { dispatchAlerts, watchAlerts }, { evaluateAlerts }, { databaseFromEnv }] =
      await Promise.all([
        import('../../alerts/alerts-config.schema.ts'),
        import('../../alerts/alert-rules.schema.ts'),
        import('../../alerts/dispatch-alerts.ts'),
        import('../../alerts/evaluate-alerts.ts'),
        import('../database-from-env.ts'),
      ]);
    const env = parseEnv(deliveryEnvSchema, ctx.env);
    const rulesEnv = parseEnv(alertRulesEnvSchema, ctx.env);
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const handle = databaseFromEnv('stipend-alerts', ctx.env);
    const deps = { db: handle.db, senders: sendersFrom(env), retry: retryPolicyFrom(env), logger };
    if (!deps.senders.email) logger.warn('STIPEND_SMTP_URL is not set: email deliveries are skipped');
    const rules = alertRulesFrom(rulesEnv);
    const options: AlertOptions = {
      financeRecipients: rules.financeRecipients,
      evaluate: async () => logger.info(await evaluateAlerts(handle.db, new Date(), rules), 'alerts evaluated'),
      evaluateEveryMs: rulesEnv.STIPEND_ALERTS_EVALUATE_MS,
    };
    if (!ctx.values.watch) {
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
    await untilSignal();
    await watcher.stop();
    await handle.close();
  },
});
