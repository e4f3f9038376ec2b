import { parseEnv } from '../../reports/parse-env.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { DATABASE_ENV_HELP } from '../database-option.ts';
import { untilSignal } from './gateway.command.ts';

export const alertsCommand = defineCommand({
  name: 'alerts',
  summary: 'deliver due budget threshold alerts once (CronJob), or keep delivering with --watch',
  options: {
    watch: { type: 'boolean', default: false, description: 'keep running and deliver alerts as they arise (until SIGTERM)' },
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_SMTP_URL        smtp(s)://user:pass@host:port: mail to budget owners (skipped without it)
  STIPEND_MAIL_FROM       sender address
  STIPEND_ALERT_WEBHOOK_URL  also POST each alert here
  STIPEND_DELIVERY_MAX_ATTEMPTS, STIPEND_DELIVERY_BACKOFF_MS  retries (docs/finance.md)
  STIPEND_ALERTS_POLL_MS  with --watch: how often to look (default 15000)`,
  examples: ['stipend alerts', 'STIPEND_SMTP_URL=smtp://mail:25 stipend alerts --watch'],
  async run(ctx) {
    const [{ deliveryEnvSchema, retryPolicyFrom, sendersFrom }, { dispatchAlerts, watchAlerts }, { databaseFromEnv }] = await Promise.all([
      import('../../alerts/alerts-config.schema.ts'),
      import('../../alerts/dispatch-alerts.ts'),
      import('../database-from-env.ts'),
    ]);
    const env = parseEnv(deliveryEnvSchema, ctx.env);
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const handle = databaseFromEnv('stipend-alerts', ctx.env);
    const deps = { db: handle.db, senders: sendersFrom(env), retry: retryPolicyFrom(env), logger };
    if (!deps.senders.email) logger.warn('STIPEND_SMTP_URL is not set: email deliveries are skipped');
    if (!ctx.values.watch) {
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
    await untilSignal();
    await watcher.stop();
    await handle.close();
  },
});
