import { exportConfigFromEnv } from '../../../reports/exports/export-config.schema.ts';
import { DIMENSIONS } from '../../../reports/spend-report.repository.ts';
import { spendReportCsv, spendReportJson } from '../../../reports/spend-report.render.ts';
import { describeIssues, spendQuerySchema } from '../../../reports/spend-report.schema.ts';
import { buildSpendReport } from '../../../reports/spend-report.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const reportSpendCommand = defineCommand({
  name: 'spend',
  summary: 'spend per team, cost center, person, provider, model, upstream (contract) or day, for a date range',
  options: {
    from: { type: 'string', value: 'DATE', required: true, description: 'first day, inclusive (2026-03-01)' },
    to: { type: 'string', value: 'DATE', required: true, description: 'last day, inclusive (2026-03-31)' },
    'group-by': { type: 'string', value: 'DIM', choices: DIMENSIONS, default: 'team', description: 'rows of the report' },
    'time-zone': { type: 'string', value: 'ZONE', description: 'IANA zone the days are read in (default: STIPEND_REPORT_TIME_ZONE, else UTC)' },
    format: { type: 'string', value: 'FMT', choices: ['csv', 'json'], default: 'csv', description: 'output format' },
    ...DATA_DIR_OPTION,
  },
  details: DATABASE_ENV_HELP,
  examples: [
    'stipend report spend --from 2026-03-01 --to 2026-03-31 --group-by cost_center',
    'stipend report spend --from 2026-03-01 --to 2026-03-31 --format json --data-dir .stipend',
  ],
  async run(ctx) {
    const exportConfig = exportConfigFromEnv(ctx.env);
    const q = spendQuerySchema.safeParse({
      from: ctx.values.from,
      to: ctx.values.to,
      timeZone: ctx.values['time-zone'] ?? exportConfig.timeZone,
      groupBy: ctx.values['group-by'],
      format: ctx.values.format,
    });
    if (!q.success) throw new CliError(`${ctx.path}: ${describeIssues(q.error)}`);
    const handle = await ctx.database('stipend-report');
    try {
      const report = await buildSpendReport(handle.db, { from: q.data.from, to: q.data.to, timeZone: q.data.timeZone });
      ctx.stdout.write(q.data.format === 'csv' ? spendReportCsv(report, q.data.groupBy) : `${JSON.stringify(spendReportJson(report), null, 2)}\n`);
    } finally {
      await handle.close();
    }
  },
});
