import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deliveryEnvSchema, retryPolicyFrom, sendersFrom } from '../../alerts/alerts-config.schema.ts';
import type { Db } from '../../db/database.ts';
import { exportConfigFromEnv, type ExportConfig } from '../../reports/exports/export-config.schema.ts';
import { ERPS } from '../../reports/gl-mapping/gl-mapping.schema.ts';
import { MappingIncompleteError, MappingNotConfiguredError } from '../../reports/gl-mapping/mapping-errors.ts';
import { closeMonth, CloseRefusedError } from '../../reports/monthly/close-month.ts';
import { EXPORT_FORMATS, exportMonth, type ExportFormat } from '../../reports/exports/exports.ts';
import { monthOf } from '../../reports/month-window.ts';
import { runMonthlyReport } from '../../reports/monthly/run-monthly-report.ts';
import { summaryToJson } from '../../reports/monthly/summary-json.ts';
import { ConfigError, parseEnv } from '../../reports/parse-env.ts';
import { spendReportCsv, spendReportJson } from '../../reports/spend-report.render.ts';
import { describeIssues, monthSchema, spendQuerySchema } from '../../reports/spend-report.schema.ts';
import { buildSpendReport } from '../../reports/spend-report.ts';
import { CliError } from '../cli-error.ts';
import { createLogger } from '../logger.ts';
import { databaseFromEnv } from '../database-from-env.ts';

const USAGE = `usage:
  stipend report spend --from 2026-03-01 --to 2026-03-31 [--group-by team|cost_center|person|provider|model|day] [--time-zone Z] [--format csv|json]
  stipend report export --month 2026-03 --format ${EXPORT_FORMATS.join('|')} [--out FILE]   (a closed month: its stored file)
  stipend report close --month 2026-03     freeze the month's books (after its end + STIPEND_CLOSE_GRACE_MS)
  stipend report monthly [--month 2026-03]   (default: last month; closes it if due, then sends once however often it runs)`;

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

export async function reportCommand(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'group-by': { type: 'string' },
      'time-zone': { type: 'string' },
      format: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!action || !['spend', 'export', 'close', 'monthly'].includes(action)) throw new CliError(USAGE);
  const exportConfig = withConfig(() => exportConfigFromEnv(process.env));
  const handle = databaseFromEnv('stipend-report');
  try {
    await booksAction(() => run(action, values, exportConfig, handle.db));
  } finally {
    await handle.close();
  }
}

type Values = Record<string, string | undefined>;

async function run(action: string, values: Values, exportConfig: ExportConfig, db: Db): Promise<void> {
  const handle = { db };
  {
    if (action === 'spend') {
      const q = spendQuerySchema.safeParse({
        from: values.from,
        to: values.to,
        timeZone: values['time-zone'] ?? exportConfig.timeZone,
        groupBy: values['group-by'] ?? 'team',
        format: values.format ?? 'csv',
      });
      if (!q.success) throw new CliError(`${describeIssues(q.error)}\n\n${USAGE}`);
      const report = await buildSpendReport(handle.db, { from: q.data.from, to: q.data.to, timeZone: q.data.timeZone });
      process.stdout.write(q.data.format === 'csv' ? spendReportCsv(report, q.data.groupBy) : `${JSON.stringify(spendReportJson(report), null, 2)}\n`);
    } else if (action === 'export') {
      const month = monthSchema.safeParse(values.month);
      const format = z.enum(EXPORT_FORMATS).safeParse(values.format);
      if (!month.success || !format.success) throw new CliError(USAGE);
      const file = await exportMonth(handle.db, month.data, format.data, exportConfig);
      if (values.out) {
        writeFileSync(values.out, file.csv);
        process.stderr.write(`wrote ${values.out} (total ${file.totalNanos} nano-dollars, sha256 ${file.sha256}, ${file.closed ? 'closed month: stored file' : 'open month'})\n`);
      } else process.stdout.write(file.csv);
    } else if (action === 'close') {
      const month = monthSchema.safeParse(values.month);
      if (!month.success) throw new CliError(`--month: must be a month like 2026-03\n\n${USAGE}`);
      const { close, files, created } = await closeMonth(handle.db, month.data, { config: exportConfig, now: new Date(), closedBy: 'report close' });
      process.stdout.write(
        `${created ? 'closed' : 'already closed'} ${close.month} (${close.timeZone}) at ledger seq ${close.cutoffSeq} (chain hash ${close.cutoffHash})\n` +
          files.map((f) => `  ${f.name.padEnd(16)} sha256 ${f.sha256}${f.totalNanos === null ? '' : `  total ${f.totalNanos} nano-dollars`}\n`).join(''),
      );
    } else {
      const month = values.month ?? monthOf(new Date(), exportConfig.timeZone, -1);
      if (!monthSchema.safeParse(month).success) throw new CliError(USAGE);
      const delivery = withConfig(() => parseEnv(deliveryEnvSchema, process.env));
      const monthly = withConfig(() => parseEnv(monthlyEnvSchema, process.env));
      const webhookUrl = monthly.STIPEND_REPORT_WEBHOOK_URL ?? delivery.STIPEND_ALERT_WEBHOOK_URL;
      const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
      const { summary, result, created } = await runMonthlyReport(
        { db: handle.db, senders: sendersFrom(delivery, webhookUrl), retry: retryPolicyFrom(delivery), logger },
        {
          month,
          exportConfig,
          emailTo: monthly.STIPEND_REPORT_EMAIL_TO,
          exportFormats: monthly.STIPEND_REPORT_EXPORT_FORMATS ?? [...ERPS.filter((erp) => exportConfig.mapping?.[erp]), 'focus' as ExportFormat],
          ...(monthly.STIPEND_DASHBOARD_URL ? { dashboardUrl: monthly.STIPEND_DASHBOARD_URL } : {}),
        },
      );
      logger.info({ month, stored: created ? 'now' : 'earlier', ...result, summary: summaryToJson(summary) }, 'monthly report');
      if (result.retrying > 0 || result.failed > 0) process.exitCode = 1; // the CronJob shows it; the next run retries
    }
  }
}

/** Refusals of the books (too early, out of order, mapping incomplete) are told, not thrown with a stack. */
async function booksAction(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof CloseRefusedError || error instanceof MappingIncompleteError || error instanceof MappingNotConfiguredError) throw new CliError(error.message);
    throw error;
  }
}

function withConfig<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}
