import { z } from 'zod';
import { exportConfigFromEnv } from '../../../reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../../reports/exports/exports.ts';
import { ERPS } from '../../../reports/gl-mapping/gl-mapping.schema.ts';
import { monthOf } from '../../../reports/month-window.ts';
import { summaryToJson } from '../../../reports/monthly/summary-json.ts';
import { parseEnv } from '../../../reports/parse-env.ts';
import { describeIssues, monthSchema } from '../../../reports/spend-report.schema.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { createLogger } from '../../logger.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';
import { refusalsAsCliErrors } from './books-refusal.ts';

const monthlyEnvSchema = z.object({
  STIPEND_REPORT_EMAIL_TO: z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  STIPEND_REPORT_WEBHOOK_URL: z.string().url().optional(),
  // Unset: FOCUS and the journal of every ERP the GL mapping declares.
  STIPEND_REPORT_EXPORT_FORMATS: z
    .string()
    .optional()
    .transform((s) => s?.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EXPORT_FORMATS)).optional()),
  STIPEND_DASHBOARD_URL: z.string().url().optional(),
});

export const reportMonthlyCommand = defineCommand({
  name: 'monthly',
  summary: 'close last month if due, then send its report (once, however often it runs)',
  options: {
    month: { type: 'string', value: 'YYYY-MM', description: 'the month to report (default: last month in STIPEND_REPORT_TIME_ZONE)' },
    ...DATA_DIR_OPTION,
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_REPORT_EMAIL_TO       comma-separated recipients
  STIPEND_SMTP_URL              smtp(s)://user:pass@host:port (mail is skipped without it)
  STIPEND_REPORT_WEBHOOK_URL    also POST the summary here
  STIPEND_REPORT_EXPORT_FORMATS attached files (default: focus and every ERP the GL mapping declares)
  STIPEND_DASHBOARD_URL         linked from the mail
  STIPEND_GL_MAPPING_FILE, STIPEND_CLOSE_GRACE_MS: see 'stipend report close --help'

Only a closed month is sent: the month (and any month before it the close order requires) is
closed first once its end plus the grace has passed; before that the command refuses (exit 2).
exit code 1 when a delivery failed or is waiting for a retry (the next run retries it).`,
  examples: ['stipend report monthly', 'stipend report monthly --month 2026-03'],
  async run(ctx) {
    const exportConfig = exportConfigFromEnv(ctx.env);
    const month = ctx.values.month ?? monthOf(new Date(), exportConfig.timeZone, -1);
    const parsedMonth = monthSchema.safeParse(month);
    if (!parsedMonth.success) throw new CliError(`${ctx.path}: --month ${describeIssues(parsedMonth.error)} (got '${month}')`);
    const [{ deliveryEnvSchema, retryPolicyFrom, sendersFrom }, { runMonthlyReport }] = await Promise.all([
      import('../../../alerts/alerts-config.schema.ts'),
      import('../../../reports/monthly/run-monthly-report.ts'),
    ]);
    const delivery = parseEnv(deliveryEnvSchema, ctx.env);
    const monthly = parseEnv(monthlyEnvSchema, ctx.env);
    const webhookUrl = monthly.STIPEND_REPORT_WEBHOOK_URL ?? delivery.STIPEND_ALERT_WEBHOOK_URL;
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const handle = await ctx.database('stipend-report');
    try {
      const { summary, result, created } = await refusalsAsCliErrors(() => runMonthlyReport(
        { db: handle.db, senders: sendersFrom(delivery, webhookUrl), retry: retryPolicyFrom(delivery), logger },
        {
          month,
          exportConfig,
          emailTo: monthly.STIPEND_REPORT_EMAIL_TO,
          exportFormats: monthly.STIPEND_REPORT_EXPORT_FORMATS ?? [...ERPS.filter((erp) => exportConfig.mapping?.[erp]), 'focus' as ExportFormat],
          ...(monthly.STIPEND_DASHBOARD_URL ? { dashboardUrl: monthly.STIPEND_DASHBOARD_URL } : {}),
        },
      ));
      logger.info({ month, stored: created ? 'now' : 'earlier', ...result, summary: summaryToJson(summary) }, 'monthly report');
      return result.retrying > 0 || result.failed > 0 ? 1 : 0; // the CronJob shows it; the next run retries
    } finally {
      await handle.close();
    }
  },
});
