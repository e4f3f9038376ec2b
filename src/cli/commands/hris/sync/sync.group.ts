import { defineGroup } from '../../../command.ts';
import { hrisSyncBambooHrCommand } from './bamboohr.command.ts';

export const hrisSyncGroup = defineGroup({
  name: 'sync',
  summary: "pull every employee from an HRIS and apply the changes (one transaction; --dry-run to preview)",
  subcommands: [hrisSyncBambooHrCommand],
  examples: ['stipend hris sync bamboohr --dry-run'],
});
