import { defineGroup } from '../command.ts';
import { adminCommand } from './admin.command.ts';
import { alertsCommand } from './alerts.command.ts';
import { auditGroup } from './audit/audit.group.ts';
import { crdsCommand } from './crds.command.ts';
import { devCommand } from './dev.command.ts';
import { gatewayCommand } from './gateway.command.ts';
import { hrisGroup } from './hris/hris.group.ts';
import { keysGroup } from './keys/keys.group.ts';
import { migrateCommand } from './migrate.command.ts';
import { operatorCommand } from './operator.command.ts';
import { reportGroup } from './report/report.group.ts';

/** Every command `stipend` has, in the order --help lists them. A test runs --help on each. */
export const STIPEND = defineGroup({
  name: 'stipend',
  summary: 'AI spend control: budgets enforced at a gateway before any request reaches a provider',
  subcommands: [devCommand, gatewayCommand, operatorCommand, adminCommand, alertsCommand, reportGroup, keysGroup, hrisGroup, auditGroup, migrateCommand, crdsCommand],
  examples: ['stipend dev --demo-traffic', 'stipend report spend --from 2026-03-01 --to 2026-03-31 --data-dir .stipend', 'stipend gateway --help'],
});
