import { defineGroup } from '../../command.ts';
import { reportCloseCommand } from './close.command.ts';
import { reportExportCommand } from './export.command.ts';
import { reportMonthlyCommand } from './monthly.command.ts';
import { reportSpendCommand } from './spend.command.ts';

export const reportGroup = defineGroup({
  name: 'report',
  summary: 'finance: spend reports, ERP and FOCUS exports, period close, the monthly report',
  subcommands: [reportSpendCommand, reportExportCommand, reportCloseCommand, reportMonthlyCommand],
  examples: ['stipend report spend --from 2026-03-01 --to 2026-03-31', 'stipend report export --month 2026-03 --format focus'],
});
