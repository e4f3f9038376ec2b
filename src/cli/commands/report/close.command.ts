import { exportConfigFromEnv } from '../../../reports/exports/export-config.schema.ts';
import { describeIssues, monthSchema } from '../../../reports/spend-report.schema.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';
import { refusalsAsCliErrors } from './books-refusal.ts';

export const reportCloseCommand = defineCommand({
  name: 'close',
  summary: "freeze a month's books: journals, FOCUS file and summary stored write-once with their SHA-256",
  options: {
    month: { type: 'string', value: 'YYYY-MM', required: true, description: 'the month to close, in STIPEND_REPORT_TIME_ZONE' },
    ...DATA_DIR_OPTION,
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_CLOSE_GRACE_MS        a month may close this long after it ends (default 86400000 = 1 day);
                                must exceed STIPEND_RESERVATION_TTL_MS (default 900000)
  STIPEND_GL_MAPPING_FILE       the journals stored are those of every ERP the mapping declares

Months close in order (the first close starts the books). Rows that settle later for a closed
month go to the next open month's adjustment entry. Closing a closed month changes nothing.
exit code 2 before the month's end plus the grace, out of order, or when the mapping does not
cover the month (the message lists what is missing).`,
  examples: ['stipend report close --month 2026-03', 'stipend report close --month 2026-03 --data-dir .stipend'],
  async run(ctx) {
    const month = monthSchema.safeParse(ctx.values.month);
    if (!month.success) throw new CliError(`${ctx.path}: --month ${describeIssues(month.error)} (got '${ctx.values.month}')`);
    const exportConfig = exportConfigFromEnv(ctx.env);
    const { closeMonth } = await import('../../../reports/monthly/close-month.ts');
    const handle = await ctx.database('stipend-report');
    try {
      const { close, files, created } = await refusalsAsCliErrors(() => closeMonth(handle.db, month.data, { config: exportConfig, now: new Date(), closedBy: 'report close' }));
      ctx.stdout.write(
        `${created ? 'closed' : 'already closed'} ${close.month} (${close.timeZone}) at ledger seq ${close.cutoffSeq} (chain hash ${close.cutoffHash})\n` +
          files.map((f) => `  ${f.name.padEnd(16)} sha256 ${f.sha256}${f.totalNanos === null ? '' : `  total ${f.totalNanos} nano-dollars`}\n`).join(''),
      );
    } finally {
      await handle.close();
    }
  },
});
