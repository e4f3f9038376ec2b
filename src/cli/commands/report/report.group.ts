import { defineGroup } from '../../command.ts';
import { reportExportCommand } from './export.command.ts';
import { reportMonthlyCommand } from './monthly.command.ts';
import { reportSpendCommand } from './spend.command.ts';

export const reportGroup = defineGroup({
  name: 'report',
  summary: 'finance: spend reports, ERP and FOCUS exports, the monthly report',
  subcommands: [reportSpendCommand, reportExportCommand, reportMonthlyCommand],
  examples: ['stipend report spend --from 2026-03-01 --to 2026-03-31', 'stipend report export --month 2026-03 --format focus'],
});
