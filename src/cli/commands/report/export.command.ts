import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportConfigFromEnv } from '../../../reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth } from '../../../reports/exports/exports.ts';
import { describeIssues, monthSchema } from '../../../reports/spend-report.schema.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';
import { refusalsAsCliErrors } from './books-refusal.ts';

export const reportExportCommand = defineCommand({
  name: 'export',
  summary: 'one month as a journal for NetSuite, QuickBooks or Workday, or as a FOCUS cost file',
  options: {
    month: { type: 'string', value: 'YYYY-MM', required: true, description: 'the month, in STIPEND_REPORT_TIME_ZONE' },
    format: { type: 'string', value: 'FMT', choices: EXPORT_FORMATS, required: true, description: 'the file format' },
    out: { type: 'string', value: 'FILE', description: 'write the CSV to FILE instead of stdout' },
    ...DATA_DIR_OPTION,
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_GL_MAPPING_FILE       the GL mapping (accounts, dimensions, dates, memos per ERP); journals
                                refuse without it, listing what is missing (docs/exports.md)
  STIPEND_REPORT_TIME_ZONE, STIPEND_PRICING_FILE, STIPEND_BILLING_ACCOUNT_ID/_NAME: see docs/finance.md

A closed month returns its stored file byte for byte (stipend report close).`,
  examples: ['stipend report export --month 2026-03 --format netsuite --out march.csv', 'stipend report export --month 2026-03 --format focus --data-dir .stipend'],
  async run(ctx) {
    const month = monthSchema.safeParse(ctx.values.month);
    if (!month.success) throw new CliError(`${ctx.path}: --month ${describeIssues(month.error)} (got '${ctx.values.month}')`);
    const exportConfig = exportConfigFromEnv(ctx.env);
    const handle = await ctx.database('stipend-report');
    try {
      const file = await refusalsAsCliErrors(() => exportMonth(handle.db, month.data, ctx.values.format, exportConfig));
      if (ctx.values.out) {
        const out = resolve(ctx.cwd, ctx.values.out);
        await writeFile(out, file.csv);
        ctx.stderr.write(`wrote ${out} (total ${file.totalNanos} nano-dollars, sha256 ${file.sha256}, ${file.closed ? 'closed month: the stored file' : 'open month'})\n`);
      } else ctx.stdout.write(file.csv);
    } finally {
      await handle.close();
    }
  },
});
